import { describe, expect, it } from 'vitest'
import { parseOptions, SECTIONS, UsageError } from '../../bench/options.ts'

describe('npm run bench options', () => {
  it('runs every section on both engines by default, with short phases', () => {
    const o = parseOptions([], {})
    expect([...o.sections]).toEqual([...SECTIONS])
    expect(o.engines).toEqual(['sqlite', 'postgres'])
    expect([o.warmupMs, o.durationMs, o.runs]).toEqual([1000, 3000, 5])
  })

  it.each([
    ['--only=reads,claims', ['reads', 'claims', 'baseline', 'raw']],
    ['--only=flash', ['flash']],
    ['--only=weight,startup', ['weight', 'startup']],
  ])('%s runs those sections and the baselines their ratios divide by', (arg, sections) => {
    expect([...parseOptions([arg], {}).sections].sort()).toEqual([...sections].sort())
  })

  it.each([
    ['--engine=sqlite', ['sqlite']],
    ['--engine=postgres', ['postgres']],
    ['--engine=both', ['sqlite', 'postgres']],
  ])('%s picks the engines', (arg, engines) => {
    expect(parseOptions([arg], {}).engines).toEqual(engines)
  })

  it('takes phase lengths in seconds and paint rounds', () => {
    const o = parseOptions(['--warmup=0.5', '--duration=2', '--runs=3'], {})
    expect([o.warmupMs, o.durationMs, o.runs]).toEqual([500, 2000, 3])
    expect(parseOptions([], { BENCH_RUNS: '2' }).runs).toBe(2)
  })

  it.each([['--only=reads,nope'], ['--only='], ['--engine=mysql'], ['--duration=0'], ['--runs=0'], ['--fast']])(
    'refuses %s',
    arg => {
      expect(() => parseOptions([arg], {})).toThrow(UsageError)
    },
  )
})
