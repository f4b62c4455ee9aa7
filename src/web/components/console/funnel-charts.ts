/** The 数据 page's two charts as ECharts options: the funnel of the period, and each step by day. */
import type { FunnelRow } from '../../../shared/api/analytics.ts'
import type { FunnelTotals } from '../../../shared/api/offers.ts'
import type { ChartOption } from './charts.ts'
import { count, funnelSteps, percent } from './funnel-view.ts'

type StepKey = keyof FunnelTotals
/** WeUI's colours: link blue, brand green, orange, blue. */
export const stepColors: Record<StepKey, string> = {
  views: '#576B95',
  claims: '#07C160',
  walletAdds: '#FA9D3B',
  redemptions: '#10AEFF',
}
const font = '-apple-system, "PingFang SC", "Microsoft YaHei", sans-serif'

export function funnelChartOption(t: FunnelTotals, name: (k: StepKey) => string): ChartOption {
  const steps = funnelSteps(t)
  return {
    // Figures a merchant reads, redrawn on every filter change: at once, not animated.
    animation: false,
    textStyle: { fontFamily: font },
    tooltip: { trigger: 'item', formatter: '{b}: {c}' },
    series: [
      {
        type: 'funnel',
        // The steps in their order, not sorted by size: redemptions may outnumber wallet adds.
        sort: 'none',
        left: '8%',
        right: '8%',
        top: 8,
        bottom: 8,
        // Wide enough that a step of 0 still reads as a step, and its label fits.
        minSize: '30%',
        gap: 3,
        label: {
          position: 'inside',
          color: '#fff',
          fontSize: 13,
          formatter: p => {
            const s = steps[p.dataIndex]!
            return s.rate ? `${p.name} ${count(s.value)} · ${percent(s.rate.value)}` : `${p.name} ${count(s.value)}`
          },
        },
        itemStyle: { borderWidth: 0 },
        data: steps.map(s => ({ name: name(s.key), value: s.value, itemStyle: { color: stepColors[s.key] } })),
      },
    ],
  }
}

export function dailyChartOption(rows: FunnelRow[], name: (k: StepKey) => string): ChartOption {
  const keys: StepKey[] = ['views', 'claims', 'walletAdds', 'redemptions']
  return {
    animation: false,
    textStyle: { fontFamily: font },
    color: keys.map(k => stepColors[k]),
    tooltip: { trigger: 'axis' },
    legend: { top: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 4 },
    // The axis labels stay inside the box: the grid shrinks to fit them.
    grid: { left: 8, right: 16, top: 36, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      // MM-DD: the year is the range's, and the axis has little room.
      data: rows.map(r => r.key.slice(5)),
      axisLine: { lineStyle: { color: 'rgba(0,0,0,0.15)' } },
      axisLabel: { color: 'rgba(0,0,0,0.5)' },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      splitLine: { lineStyle: { color: 'rgba(0,0,0,0.06)' } },
      axisLabel: { color: 'rgba(0,0,0,0.5)' },
    },
    series: keys.map(k => ({
      type: 'line' as const,
      name: name(k),
      data: rows.map(r => r[k]),
      symbol: 'circle',
      // Dots where there is room for them (a single day is only a dot).
      showSymbol: rows.length <= 31,
      symbolSize: 6,
      lineStyle: { width: 2 },
    })),
  }
}
