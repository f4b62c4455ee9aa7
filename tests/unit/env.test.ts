import { describe, expect, it } from 'vitest'
import { detectEnv, type WeChatEnv } from '../../src/web/wechat/env.ts'

const UA = {
  iPhoneWeChat:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN',
  androidWeChat:
    'Mozilla/5.0 (Linux; Android 5.0.1; GT-I9502 Build/LRX22C; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/43.0.2357.121 Mobile Safari/537.36 MicroMessenger/6.1.0.78_r1129455.543 NetType/WIFI',
  weCom:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.6 MicroMessenger/7.0.1 Language/zh ColorScheme/Light',
  miniProgram:
    'Mozilla/5.0 (Linux; Android 7.1.1; MI 6 Build/NMF26X; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/57.0.2987.132 MQQBrowser/6.2 TBS/043807 Mobile Safari/537.36 MicroMessenger/6.6.1.1220(0x26060135) NetType/4G Language/zh_CN miniProgram',
  mobileSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  desktopChrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  androidChrome:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
}

describe('detectEnv', () => {
  it.each<[string, string, WeChatEnv]>([
    [
      'WeChat on iPhone',
      UA.iPhoneWeChat,
      { inWeChat: true, inWeCom: false, inMiniProgram: false, os: 'ios', version: '8.0.47' },
    ],
    [
      'WeChat on Android',
      UA.androidWeChat,
      { inWeChat: true, inWeCom: false, inMiniProgram: false, os: 'android', version: '6.1.0' },
    ],
    ['WeCom', UA.weCom, { inWeChat: false, inWeCom: true, inMiniProgram: false, os: 'ios', version: '7.0.1' }],
    [
      'a mini-program web-view',
      UA.miniProgram,
      { inWeChat: true, inWeCom: false, inMiniProgram: true, os: 'android', version: '6.6.1' },
    ],
    [
      'plain mobile Safari',
      UA.mobileSafari,
      { inWeChat: false, inWeCom: false, inMiniProgram: false, os: 'ios', version: null },
    ],
    [
      'plain Android Chrome',
      UA.androidChrome,
      { inWeChat: false, inWeCom: false, inMiniProgram: false, os: 'android', version: null },
    ],
    [
      'desktop Chrome',
      UA.desktopChrome,
      { inWeChat: false, inWeCom: false, inMiniProgram: false, os: 'other', version: null },
    ],
    ['an empty user agent', '', { inWeChat: false, inWeCom: false, inMiniProgram: false, os: 'other', version: null }],
  ])('recognises %s', (_label, ua, expected) => {
    expect(detectEnv(ua)).toEqual(expected)
  })

  it('recognises a mini-program web-view from __wxjs_environment when the user agent does not say so', () => {
    expect(detectEnv(UA.iPhoneWeChat).inMiniProgram).toBe(false)
    expect(detectEnv(UA.iPhoneWeChat, 'miniprogram')).toEqual({
      inWeChat: true,
      inWeCom: false,
      inMiniProgram: true,
      os: 'ios',
      version: '8.0.47',
    })
  })

  it.each([undefined, 'browser', ''])('does not call WeChat a mini-program when __wxjs_environment is %j', wxjs => {
    expect(detectEnv(UA.iPhoneWeChat, wxjs).inMiniProgram).toBe(false)
  })

  it('does not call a plain browser a mini-program just because of __wxjs_environment', () => {
    expect(detectEnv(UA.mobileSafari, 'miniprogram').inMiniProgram).toBe(false)
  })

  it('reads a two-part version when that is all the agent gives', () => {
    expect(detectEnv('Mozilla/5.0 (iPhone) MicroMessenger/7.0 NetType/WIFI').version).toBe('7.0')
  })

  it('is not fooled by letter case', () => {
    expect(detectEnv(UA.iPhoneWeChat.toUpperCase()).inWeChat).toBe(true)
  })
})
