/**
 * Apache ECharts, only what the 数据 page draws: a funnel and a line chart, with axes, a legend
 * and tooltips, drawn as SVG (crisp on any screen, and it prints). Importing `echarts/core` with
 * these parts, not `echarts`, keeps the rest of the library out of the build; only the 数据 page
 * imports this file, so the library sits in that page's lazy chunk.
 */
import { FunnelChart, type FunnelSeriesOption, LineChart, type LineSeriesOption } from 'echarts/charts'
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components'
import { type ComposeOption, init, use } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'

use([FunnelChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer])

export type ChartOption = ComposeOption<
  FunnelSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>

export { init }
