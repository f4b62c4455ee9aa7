import { describe, expect, it } from 'vitest'
import { consoleError } from '../../src/web/i18n/console.ts'

describe('the console’s error sentences', () => {
  it('says why a stock top-up was refused in the server’s words (stock_invalid has several reasons)', () => {
    expect(consoleError({ code: 'stock_invalid', message: '活动已结束，不能再追加库存' })).toBe(
      '活动已结束，不能再追加库存',
    )
  })

  it('uses its own words for a code it knows, and a fallback when there is no message', () => {
    expect(consoleError({ code: 'version_conflict', message: 'version_conflict' })).toBe('有人刚刚修改了这张券')
    expect(consoleError({ code: 'internal' })).toBe('出了点问题，请稍后再试')
  })
})
