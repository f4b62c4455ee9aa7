/**
 * A rough, human description of a browser from its user agent, shown on the phone before a
 * desktop login is confirmed (电脑浏览器 · Chrome · Windows), so a person can tell their own
 * computer from someone else's. Rough on purpose: user agents lie, and this is a hint, not proof.
 */
const systems: [RegExp, string][] = [
  [/Windows NT/, 'Windows'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Macintosh|Mac OS X/, 'macOS'],
  [/HarmonyOS|OpenHarmony/, 'HarmonyOS'],
  [/Linux/, 'Linux'],
]

// Order matters: most browsers also name Chrome and Safari, so the specific ones come first.
const browsers: [RegExp, string][] = [
  [/MicroMessenger/, '微信'],
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/QQBrowser/, 'QQ浏览器'],
  [/UCBrowser/, 'UC浏览器'],
  [/\bOPR\//, 'Opera'],
  [/Firefox\/|FxiOS/, 'Firefox'],
  [/Chrome\/|CriOS/, 'Chrome'],
  [/Safari\//, 'Safari'],
]

const pick = (ua: string, table: [RegExp, string][]) => table.find(([re]) => re.test(ua))?.[1] ?? null

export function describeBrowser(userAgent: string | undefined): string {
  const ua = (userAgent ?? '').slice(0, 512)
  const system = pick(ua, systems)
  const mobile = /Mobile|iPhone|iPad|Android/.test(ua)
  const parts = [mobile ? '手机浏览器' : '电脑浏览器', pick(ua, browsers), system]
  return parts.filter(Boolean).join(' · ')
}
