/**
 * @module i18n/zh-experiments
 * 实验页面的中文文字，并入 zh.ts。
 */
import type { enExperiments } from './en-experiments';

export const zhExperiments: Record<keyof typeof enExperiments, string> = {
  'experiments.templates': '有变体的模板',
  'experiments.none': '还没有包含两个及以上变体的模板。',
  'experiments.addVariants': '为模板添加变体',
  'experiments.variantCount': '{n} 个变体：{names}',
  'experiments.pick': '选择一个模板，查看其各变体的对比。',
  'experiments.results': '实验结果：{template}',
  'experiments.options': '实验选项',
  'experiments.metricLabel': '评判指标',
  'experiments.metric.conversion': '转化率',
  'experiments.metric.click': '点击率',
  'experiments.metric.delivery': '送达率',
  'experiments.control': '对照组',
  'experiments.defaultControl': '第一个变体',
  'experiments.minSample': '每个变体的最小样本量',
  'experiments.minSampleHint': '给出结论前每个变体需要的消息数。留空则使用服务器默认值。',
  'experiments.tableLabel': '{template} 的变体',
  'experiments.variant': '变体',
  'experiments.weight': '权重',
  'experiments.sent': '已发送',
  'experiments.delivered': '已送达',
  'experiments.converted': '已转化',
  'experiments.clicked': '已点击',
  'experiments.difference': '与对照组之差',
  'experiments.pValue': 'p 值',
  'experiments.verdict': '结论',
  'experiments.delay': '延后 {n} 秒发送',
  'experiments.range': '95%：{lo} 至 {hi}',
  'experiments.verdict.not_enough_data': '数据不足：每个变体需要 {n} 条消息才能给出结论。',
  'experiments.verdict.variant_wins': '变体 {name} 胜出：显著优于对照组。',
  'experiments.verdict.control_wins': '对照组 {name} 胜出：所有变体都显著更差。',
  'experiments.verdict.no_clear_winner': '没有明确的胜者：差异可能只是偶然。',
  'experiments.chartCaption': '各变体的{metric}；须线表示 95% 区间。须线重叠表示没有明显差异。',
  'experiments.method':
    '每个变体都与对照组（{control}）比较：双比例 z 检验，p < 0.05 为显著；差值区间来自 API，比率区间为 Wilson 区间。',
  'experiments.bonferroni': '共有 {k} 个变体，判定胜者前请将 p 值与 {alpha} 比较（Bonferroni 校正）。',
  'experiments.rangeNote': '统计 {from} 至 {to} 发送的消息。每 10 秒刷新。',
};
