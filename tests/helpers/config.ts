/** A complete real-WeChat environment for loadConfig (every required variable, none the sandbox's). */
export const liveEnv = {
  WX_APPID: 'wx1234567890abcdef',
  WX_APPSECRET: 'a-real-appsecret-0000000000000000',
  SESSION_SECRET: 'a-real-session-secret-at-least-32-characters',
  PUBLIC_URL: 'https://coupons.example.com',
  WX_TOKEN: 'realtoken42',
  WX_AES_KEY: 'R3alEnc0d1ngAESKeyR3alEnc0d1ngAESKey0123456',
}
