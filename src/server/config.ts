/**
 * Environment -> typed config. The only file that reads process.env.
 * With no WX_APPID the server runs the WeChat sandbox and fills in WeChat's side itself.
 */
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import {
  type ConfigIssue,
  WXPAY_VARS,
  type WxPayConfig,
  WxPayConfigError,
  type WxPayEnv,
  wxPayConfigFrom,
} from './wechatpay/keys.ts'

export const SANDBOX_APPID = 'wx5eedc0ffee000001'
export const SANDBOX_SECRET = 'sandboxsecret0123456789abcdef0000'
export const SANDBOX_TOKEN = 'kaquansandbox'
/** 43 characters, as WeChat's console generates. */
export const SANDBOX_AES_KEY = 'S4ndb0xK4qu4nEnc0d1ngAESKey0123456789abcdef'

export interface Config {
  port: number
  host: string
  publicUrl: string
  databaseUrl: string
  /**
   * HMAC key of session cookies. Required with real credentials; in sandbox mode without
   * SESSION_SECRET it is '' here and filled in by the sandbox from its database (a random
   * secret per database, see sandbox/secrets.ts) before the app is built.
   */
  sessionSecret: string
  sandbox: boolean
  /** Sandbox mode on a non-loopback address: anyone who can reach it can act as any WeChat user. */
  sandboxPublic: boolean
  wx: {
    appId: string
    appSecret: string
    token: string
    aesKey: string
    /** The EncodingAESKey before the last rotation in WeChat's console, still tried for pushes. */
    previousAesKey: string | null
    /**
     * 消息加解密方式 as set in WeChat's console. In plaintext mode the body is not covered by
     * `signature`, so the configuration decides the mode, never the request.
     */
    pushMode: 'safe' | 'plain'
    tokenEndpoint: 'stable' | 'classic'
    apiBase: string
    oauthBase: string
  }
  /**
   * WeChat Pay (商家券), or null when it is off: with real WeChat credentials and no WXPAY_MCHID,
   * offers can't link a stock. In sandbox mode it is null here and filled in by the sandbox
   * (its own merchant and keys, sandbox/secrets.ts) before the app is built.
   */
  wxpay: WxPayConfig | null
  adminToken: string | null
  seedDemo: boolean
  trustProxy: boolean
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** One line per request and answer (at info), off by default: on a hot path it costs more than the work. */
  accessLog: boolean
  /** Where the built web app lives (dist/client and dist/server). */
  distDir: string
  /** Set by `npm run dev`: pages are rendered from src/web through Vite instead of dist/. */
  devVite: boolean
}

export class ConfigError extends Error {}

/** Every configuration error reads the same: one `VARIABLE: what is wrong` line per problem. */
function invalid(issues: ConfigIssue[]): ConfigError {
  return new ConfigError(`Invalid configuration:\n${issues.map(i => `  ${i.variable}: ${i.message}`).join('\n')}`)
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:<path> or postgres://…')
    .default('sqlite:./data/kaquan.sqlite'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  WX_APPID: z
    .string()
    .regex(/^wx[0-9a-zA-Z]{16}$/, 'must look like wx followed by 16 letters or digits')
    .optional(),
  WX_APPSECRET: z.string().min(16).optional(),
  WX_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9]{3,32}$/, 'must be 3–32 letters or digits')
    .optional(),
  WX_AES_KEY: z
    .string()
    .regex(/^[A-Za-z0-9]{43}$/, 'must be the 43-character EncodingAESKey')
    .optional(),
  WX_AES_KEY_PREVIOUS: z
    .string()
    .regex(/^[A-Za-z0-9]{43}$/, 'must be the 43-character EncodingAESKey')
    .optional(),
  WX_PUSH_MODE: z.enum(['safe', 'plain']).default('safe'),
  WX_TOKEN_ENDPOINT: z.enum(['stable', 'classic']).default('stable'),
  WX_API_BASE: z.url().optional(),
  WX_OAUTH_BASE: z.url().optional(),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SEED_DEMO: z.enum(['0', '1', 'true', 'false']).optional(),
  SANDBOX_PUBLIC: z.enum(['0', '1', 'true', 'false']).optional(),
  TRUST_PROXY: z.enum(['0', '1', 'true', 'false']).optional(),
  DIST_DIR: z.string().default('dist'),
  DEV_VITE: z.enum(['0', '1']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  ACCESS_LOG: z.enum(['0', '1', 'true', 'false']).optional(),
})

/** The WXPAY_* variables, checked by wechatpay/keys.ts; every problem is reported with its variable. */
function wxPayFrom(
  env: Record<string, string | undefined>,
  sandbox: boolean,
  ctx: { appId: string; publicUrl: string },
): WxPayConfig | null {
  const raw: WxPayEnv = Object.fromEntries(WXPAY_VARS.map(k => [k, env[k]]))
  if (sandbox) {
    // The sandbox plays WeChat Pay with keys of its own; real ones would never match its answers.
    const given = WXPAY_VARS.filter(k => env[k]?.trim())
    if (given.length)
      throw invalid(
        given.map(variable => ({
          variable,
          message: 'set only with real WeChat credentials (WX_APPID); the sandbox makes its own WeChat Pay keys',
        })),
      )
    return null
  }
  try {
    return wxPayConfigFrom(raw, ctx)
  } catch (err) {
    if (!(err instanceof WxPayConfigError)) throw err
    throw invalid(err.issues)
  }
}

const flag = (v: string | undefined) => v === '1' || v === 'true'
const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host)
const trimSlash = (u: string) => u.replace(/\/+$/, '')

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  )
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map(i => ({ variable: i.path.join('.'), message: i.message })))
  }
  const e = parsed.data
  const sandbox = !e.WX_APPID
  if (!sandbox) {
    // Real WeChat: every secret must be the deployment's own. A missing one never falls back to
    // the sandbox's published values (anyone could seal a push or a session with those).
    const required: [string, unknown, string][] = [
      ['WX_APPSECRET', e.WX_APPSECRET, "the official account's AppSecret"],
      ['SESSION_SECRET', e.SESSION_SECRET, 'at least 32 random characters'],
      ['PUBLIC_URL', e.PUBLIC_URL, 'the https address WeChat users open'],
      ['WX_TOKEN', e.WX_TOKEN, 'the Token of 服务器配置'],
      ['WX_AES_KEY', e.WX_AES_KEY, 'the EncodingAESKey of 服务器配置; or WX_PUSH_MODE=plain for 明文模式'],
    ]
    // Plaintext mode (明文模式) has no EncodingAESKey to give.
    const missing = required.filter(([k, v]) => v === undefined && !(k === 'WX_AES_KEY' && e.WX_PUSH_MODE === 'plain'))
    if (missing.length)
      throw invalid(
        missing.map(([variable, , what]) => ({ variable, message: `required when WX_APPID is set (${what})` })),
      )
  }
  const sandboxPublic = sandbox && flag(e.SANDBOX_PUBLIC)
  const host = e.HOST ?? (sandbox && !sandboxPublic ? '127.0.0.1' : '0.0.0.0')
  if (sandbox && !sandboxPublic && !isLoopback(host))
    throw invalid([
      {
        variable: 'HOST',
        message: `the sandbox lets anyone act as any WeChat user, so it listens on loopback only; set SANDBOX_PUBLIC=1 to serve ${host} anyway`,
      },
    ])
  const publicUrl = trimSlash(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`)
  const appId = e.WX_APPID ?? SANDBOX_APPID
  const wxpay = wxPayFrom(env, sandbox, { appId, publicUrl })
  return {
    port: e.PORT,
    host,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    sessionSecret: e.SESSION_SECRET ?? '',
    sandbox,
    sandboxPublic,
    wx: {
      appId,
      // The sandbox's published values are used only in sandbox mode: real mode requires its own (above).
      appSecret: e.WX_APPSECRET ?? (sandbox ? SANDBOX_SECRET : ''),
      token: e.WX_TOKEN ?? (sandbox ? SANDBOX_TOKEN : ''),
      aesKey: e.WX_AES_KEY ?? (sandbox ? SANDBOX_AES_KEY : ''),
      previousAesKey: e.WX_AES_KEY_PREVIOUS ?? null,
      pushMode: e.WX_PUSH_MODE,
      tokenEndpoint: e.WX_TOKEN_ENDPOINT,
      apiBase: trimSlash(e.WX_API_BASE ?? (sandbox ? `${publicUrl}/__wx/api` : 'https://api.weixin.qq.com')),
      oauthBase: trimSlash(e.WX_OAUTH_BASE ?? (sandbox ? `${publicUrl}/__wx` : 'https://open.weixin.qq.com')),
    },
    wxpay,
    // The sandbox makes one up so the admin API can be tried at once; npm start prints it.
    adminToken: e.ADMIN_TOKEN ?? (sandbox ? randomBytes(18).toString('base64url') : null),
    seedDemo: e.SEED_DEMO === undefined ? sandbox : flag(e.SEED_DEMO),
    trustProxy: flag(e.TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    accessLog: flag(e.ACCESS_LOG),
    distDir: e.DIST_DIR,
    devVite: e.DEV_VITE === '1',
  }
}
