import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import type { AuditEntryDto } from '../../src/shared/api/console.ts'
import { auditValue } from '../../src/web/components/console/audit-values.ts'
import AuditList from '../../src/web/components/console/AuditList.vue'

// 2026-12-01 10:06 UTC is 18:06 in China.
const now = Date.parse('2026-12-01T12:00:00Z') / 1000

describe('the audit log reads as merchants speak', () => {
  it.each([
    ['status', 'live', '进行中'],
    ['kind', 'cash', '代金券'],
    ['kind', 'discount', '折扣券'],
    ['role', 'manager', '店长'],
    ['valueFen', 800, '¥8'],
    ['thresholdFen', 4050, '¥40.5'],
    ['discountPercent', 88, '8.8折'],
    ['allStores', true, '全部门店'],
    ['allStores', false, '指定门店'],
    ['validity', { type: 'relative', days: 30 }, '领取后30天内有效'],
    [
      'validity',
      { type: 'fixed', from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' },
      '2026.12.01–12.31',
    ],
    ['startsAt', '2026-12-01T10:06:00.000Z', '12-01 18:06'],
    ['expiresAt', '2026-12-02T10:06:23.000Z', '12-02 18:06'],
    ['rules', ['每人限领1张', '不与其他优惠同享'], '每人限领1张；不与其他优惠同享'],
    ['storeIds', ['nanjingxilu', 'gone'], '南京西路店、gone'],
    ['storeIds', [], '空'],
    ['giftName', null, '空'],
    ['stockTotal', 100, '100'],
    ['title', '周末拿铁立减8元', '周末拿铁立减8元'],
  ])('shows %s %j as %s', (field, value, shown) => {
    expect(auditValue(field, value, { nanjingxilu: '南京西路店' }, now)).toBe(shown)
  })

  it('lists only what a creation set, without before → after', () => {
    const created: AuditEntryDto = {
      id: 'e1',
      at: '2026-12-01T10:06:00.000Z',
      actor: { id: 'u1', name: '老王' },
      action: 'offer.create',
      target: { type: 'offer', id: 'o1', label: '周末拿铁立减8元' },
      changes: [
        { field: 'title', before: null, after: '周末拿铁立减8元' },
        { field: 'kind', before: null, after: 'cash' },
        { field: 'giftName', before: null, after: null },
        { field: 'storeIds', before: null, after: [] },
      ],
    }
    const moved: AuditEntryDto = {
      ...created,
      id: 'e2',
      action: 'offer.status',
      changes: [{ field: 'status', before: 'draft', after: 'live' }],
    }
    const w = mount(AuditList, { props: { entries: [moved, created] } })
    const [status, creation] = w.findAll('[data-entry]')
    expect(status!.find('.head').text()).toContain('修改优惠券状态')
    const lines = (e: typeof status) => e!.findAll('.changes li').map(li => li.findAll('span').map(s => s.text()))
    expect(lines(status)).toEqual([['状态', '草稿', '→', '进行中']])
    expect(lines(creation)).toEqual([
      ['名称', '周末拿铁立减8元'],
      ['券类型', '代金券'],
    ])
  })
})
