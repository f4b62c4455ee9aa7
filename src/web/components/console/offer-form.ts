/**
 * The offer editor's form, and the one way between it and the shared contract. Merchants type
 * yuan, 折 and China dates; the contract wants integer fen, a percent and ISO times. The form
 * is checked with the server's own schema (offerInput), so every message is the server's.
 */
import type { ConsoleOfferDto, OfferDto, OfferInput, OfferPatch } from '../../../shared/api/offers.ts'
import { lockedOnceIssued, offerInput } from '../../../shared/api/offers.ts'
import type { OfferKind } from '../../../shared/money.ts'
import { CHINA_OFFSET, chinaDay, chinaDayStartOf, DAY, epochOf, isoOf } from '../../../shared/time.ts'
import { type Validity, validityLabel } from '../../../shared/validity.ts'
import { type FieldErrors, schemaErrors } from './field-errors.ts'

export type WalletKind = 'none' | 'card' | 'busifavor'

export interface OfferForm {
  title: string
  kind: OfferKind
  valueYuan: number | undefined
  thresholdYuan: number | undefined
  /** 8.8 for 8.8折 (the contract's discountPercent 88). */
  discountZhe: number | undefined
  giftName: string
  description: string
  /** One rule a line. */
  rulesText: string
  stockTotal: number | undefined
  perUserLimit: number | undefined
  /** China time, `YYYY-MM-DD HH:mm`. */
  claimFrom: string
  claimTo: string
  validityType: 'fixed' | 'relative'
  validityDays: number | undefined
  /** China days, both inclusive, `YYYY-MM-DD`. */
  validFrom: string
  validTo: string
  allStores: boolean
  storeIds: string[]
  wallet: WalletKind
  wxCardId: string
  wxStockId: string
}

const two = (n: number) => String(n).padStart(2, '0')

/** An ISO time as China wall-clock time for the pickers. */
export function chinaInputOf(iso: string): string {
  const d = new Date((epochOf(iso) + CHINA_OFFSET) * 1000)
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`
}

/** China wall-clock `YYYY-MM-DD HH:mm` as ISO; '' when it is not a time (the schema then names the field). */
export function isoOfChinaInput(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})/.exec(text)
  const day = m ? chinaDayStartOf(m[1]!) : null
  if (!m || day === null) return ''
  return isoOf(day + Number(m[2]) * 3600 + Number(m[3]) * 60)
}

/** A typed number; an emptied input gives undefined, so the schema says 请填写…. */
function numberOf(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

/** Yuan as integer fen; a fraction of a fen stays fractional so the schema says 须为整数分. */
function fenOf(v: unknown): number | undefined {
  const yuan = numberOf(v)
  if (yuan === undefined) return undefined
  const fen = yuan * 100
  return Math.abs(fen - Math.round(fen)) < 1e-6 ? Math.round(fen) : fen
}

const yuanOf = (fen: number) => fen / 100

/**
 * A new offer's form. Its claim window opens now (the picker's minute, so not in the future): an
 * offer put live from a new form is claimable at once, as the merchant expects.
 */
export function blankForm(now = Date.now() / 1000): OfferForm {
  const minute = Math.floor(now / 60) * 60
  const hour = Math.ceil(now / 3600) * 3600
  return {
    title: '',
    kind: 'cash',
    valueYuan: undefined,
    thresholdYuan: 0,
    discountZhe: undefined,
    giftName: '',
    description: '',
    rulesText: '',
    stockTotal: 100,
    perUserLimit: 1,
    claimFrom: chinaInputOf(isoOf(minute)),
    claimTo: chinaInputOf(isoOf(hour + 30 * DAY)),
    validityType: 'relative',
    validityDays: 30,
    validFrom: chinaDay(minute),
    validTo: chinaDay(hour + 60 * DAY),
    allStores: true,
    storeIds: [],
    wallet: 'none',
    wxCardId: '',
    wxStockId: '',
  }
}

export function formOf(o: ConsoleOfferDto): OfferForm {
  const blank = blankForm()
  return {
    ...blank,
    title: o.title,
    kind: o.kind,
    valueYuan: o.kind === 'cash' ? yuanOf(o.valueFen) : undefined,
    thresholdYuan: yuanOf(o.thresholdFen),
    discountZhe: o.discountPercent === null ? undefined : o.discountPercent / 10,
    giftName: o.giftName ?? '',
    description: o.description,
    rulesText: o.rules.join('\n'),
    stockTotal: o.stockTotal,
    perUserLimit: o.perUserLimit,
    claimFrom: chinaInputOf(o.startsAt),
    claimTo: chinaInputOf(o.endsAt),
    validityType: o.validity.type,
    validityDays: o.validity.type === 'relative' ? o.validity.days : blank.validityDays,
    // A fixed validity's end is exclusive in data, inclusive for people: its last day is the day before.
    validFrom: o.validity.type === 'fixed' ? chinaDay(epochOf(o.validity.from)) : blank.validFrom,
    validTo: o.validity.type === 'fixed' ? chinaDay(epochOf(o.validity.to) - 1) : blank.validTo,
    allStores: o.allStores,
    storeIds: [...o.storeIds],
    wallet: o.wxStockId ? 'busifavor' : o.wxCardId ? 'card' : 'none',
    wxCardId: o.wxCardId ?? '',
    wxStockId: o.wxStockId ?? '',
  }
}

/** 8.8折 as the contract's 88; an empty field is null, which the schema calls 请填写折扣. */
function discountOf(zhe: unknown): number | null {
  const n = numberOf(zhe)
  return n === undefined ? null : Math.round(n * 10)
}

function validityOf(f: OfferForm): unknown {
  if (f.validityType === 'relative') return { type: 'relative', days: numberOf(f.validityDays) }
  const from = chinaDayStartOf(f.validFrom)
  const to = chinaDayStartOf(f.validTo)
  return { type: 'fixed', from: from === null ? '' : isoOf(from), to: to === null ? '' : isoOf(to + DAY) }
}

/** The form as the contract's body, unchecked: fields that don't apply to the kind are left at their defaults. */
export function bodyOf(f: OfferForm): Record<string, unknown> {
  return {
    title: f.title,
    kind: f.kind,
    valueFen: f.kind === 'cash' ? fenOf(f.valueYuan) : 0,
    thresholdFen: f.kind === 'gift' ? 0 : (fenOf(f.thresholdYuan) ?? 0),
    discountPercent: f.kind === 'discount' ? discountOf(f.discountZhe) : null,
    giftName: f.kind === 'gift' ? f.giftName : null,
    description: f.description,
    rules: f.rulesText
      .split('\n')
      .map(r => r.trim())
      .filter(Boolean),
    stockTotal: numberOf(f.stockTotal),
    perUserLimit: numberOf(f.perUserLimit),
    startsAt: isoOfChinaInput(f.claimFrom),
    endsAt: isoOfChinaInput(f.claimTo),
    validity: validityOf(f),
    allStores: f.allStores,
    storeIds: f.allStores ? [] : f.storeIds,
    wxCardId: f.wallet === 'card' ? f.wxCardId : null,
    wxStockId: f.wallet === 'busifavor' ? f.wxStockId : null,
  }
}

export type Checked = { ok: true; input: OfferInput } | { ok: false; errors: FieldErrors }

/** The shared schema's verdict on the form, before anything is sent. */
export function checkForm(f: OfferForm): Checked {
  const r = offerInput.safeParse(bodyOf(f))
  if (r.success) return { ok: true, input: r.data }
  return { ok: false, errors: schemaErrors(r.error.issues) }
}

/**
 * What a save of an existing offer sends: only the fields that changed. The stored offer goes
 * through the same form and back, so formatting never counts as a change, and locked fields
 * the merchant could not touch are never sent.
 */
export function patchOf(input: OfferInput, stored: ConsoleOfferDto): OfferPatch {
  const base = offerInput.safeParse(bodyOf(formOf(stored)))
  const before: Record<string, unknown> = base.success ? base.data : {}
  const patch: Record<string, unknown> = {}
  const locked = stored.issued > 0 ? new Set<string>(lockedOnceIssued) : new Set<string>()
  for (const [k, v] of Object.entries(input)) {
    if (k === 'status' || locked.has(k)) continue
    if (JSON.stringify(v) !== JSON.stringify(before[k])) patch[k] = v
  }
  return patch as OfferPatch
}

/** The consumer's ticket for the form as it is now, so the preview is what people will see. */
export function previewOf(f: OfferForm, merchant: { id: string; name: string }, untitled: string): OfferDto {
  const b = bodyOf(f)
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : 0)
  return {
    id: 'preview',
    merchant: { id: merchant.id, name: merchant.name, logoUrl: null },
    title: f.title.trim() || untitled,
    kind: f.kind,
    valueFen: num(b.valueFen),
    thresholdFen: num(b.thresholdFen),
    discountPercent: typeof b.discountPercent === 'number' ? b.discountPercent : null,
    giftName: f.giftName.trim() || null,
    description: f.description,
    rules: b.rules as string[],
    imageUrl: null,
    stockTotal: num(b.stockTotal),
    stockLeft: num(b.stockTotal),
    perUserLimit: num(b.perUserLimit),
    claimedByMe: 0,
    startsAt: (b.startsAt as string) || isoOf(0),
    endsAt: (b.endsAt as string) || isoOf(0),
    phase: 'live',
    validity: { type: 'relative', days: 1 },
    allStores: f.allStores,
    storeIds: f.storeIds,
  }
}

/** The ticket's validity line, when the form's validity is complete enough to say one. */
export function validityNote(f: OfferForm): string {
  const v = validityOf(f) as { type: string; days?: number; from?: string; to?: string }
  if (v.type === 'relative') return v.days && v.days > 0 ? validityLabel({ type: 'relative', days: v.days }) : ''
  if (!v.from || !v.to) return ''
  const fixed: Validity = { type: 'fixed', from: epochOf(v.from), to: epochOf(v.to) }
  return fixed.to > fixed.from ? validityLabel(fixed) : ''
}
