/**
 * @module i18n/en-experiments
 * Every English string of the experiments page, merged into en.ts.
 */
export const enExperiments = {
  'experiments.templates': 'Templates with variants',
  'experiments.none': 'No template has two or more variants yet.',
  'experiments.addVariants': 'Add variants to a template',
  'experiments.variantCount': '{n} variants: {names}',
  'experiments.pick': 'Pick a template to see how its variants compare.',
  'experiments.results': 'Results: {template}',
  'experiments.options': 'Experiment options',
  'experiments.metricLabel': 'Judge by',
  'experiments.metric.conversion': 'Conversion rate',
  'experiments.metric.click': 'Click rate',
  'experiments.metric.delivery': 'Delivery rate',
  'experiments.control': 'Compare with',
  'experiments.defaultControl': 'The first variant',
  'experiments.minSample': 'Minimum sample per variant',
  'experiments.minSampleHint': 'Messages each variant needs before a verdict. Empty: the server’s default.',
  'experiments.tableLabel': 'Variants of {template}',
  'experiments.variant': 'Variant',
  'experiments.weight': 'Weight',
  'experiments.sent': 'Sent',
  'experiments.delivered': 'Delivered',
  'experiments.converted': 'Converted',
  'experiments.clicked': 'Clicked',
  'experiments.difference': 'Difference from control',
  'experiments.pValue': 'p-value',
  'experiments.verdict': 'Verdict',
  'experiments.delay': 'sent {n} s later',
  'experiments.range': '95 %: {lo} to {hi}',
  'experiments.verdict.not_enough_data': 'Not enough data yet: every variant needs {n} messages before a verdict.',
  'experiments.verdict.variant_wins': 'Variant {name} wins: significantly better than the control.',
  'experiments.verdict.control_wins': 'The control {name} wins: every variant is significantly worse.',
  'experiments.verdict.no_clear_winner': 'No clear winner: the differences could be chance.',
  'experiments.chartCaption':
    '{metric} of each variant; the whiskers show its 95 % interval. Overlapping whiskers mean no clear difference.',
  'experiments.method':
    'Each variant is compared with the control ({control}): a two-proportion z-test, significant when p < 0.05; the difference’s interval is the API’s, the rate’s is Wilson’s.',
  'experiments.bonferroni': 'With {k} variants, read p against {alpha} (Bonferroni) before calling a winner.',
  'experiments.rangeNote': 'Messages sent from {from} to {to}. Refreshes every 10 seconds.',
} as const;
