/** Tables and charts of the consistent-hashing experiments. */
import type {
  HashA1Result,
  HashScalingResult,
  HashScalingVariantResult,
} from '../experiments/hashing/hash-results.js';
import { variantName } from '../experiments/hashing/hash-scaling-experiment.js';
import { groupedBarsChart } from '../plots/grouped-bars-chart.js';
import { type SeriesPoint, seriesLinesChart } from '../plots/series-lines-chart.js';
import { count, markdownTable, percent, ratio } from './markdown-table.js';
import { type ChartFile, image, type ReportSection } from './report-section.js';

export function hashA1Section(result: HashA1Result): ReportSection {
  const ideal = result.succeeded / result.replicas.length;
  const table = markdownTable(
    ['replica', 'served (server logs)', '301s (client)', 'redirects (/rep)', 'share'],
    result.replicas.map((replica) => [
      replica.label,
      count(replica.servers),
      count(replica.client),
      count(replica.balancer),
      percent(replica.servers / Math.max(1, result.succeeded)),
    ]),
    ['left', 'right', 'right', 'right', 'right'],
  );
  const chart: ChartFile = {
    file: 'hash-a1-requests-per-replica.svg',
    alt: 'A-1: requests handled per replica, counted three ways',
    spec: groupedBarsChart(
      result.replicas.flatMap((replica) => [
        { category: replica.label, series: 'server logs', value: replica.servers },
        { category: replica.label, series: 'client 301s', value: replica.client },
        { category: replica.label, series: 'balancer /rep', value: replica.balancer },
      ]),
      {
        title: `A-1: ${count(result.requests)} keys, consistent-hash (${variantName(result.variant)}), ${result.replicas.length} replicas`,
        categoryTitle: 'replica',
        valueTitle: 'requests handled',
        seriesTitle: 'counted by',
        reference: { value: ideal, label: `ideal ${count(Math.round(ideal))}` },
      },
    ),
  };
  const markdown = [
    `${count(result.requests)} requests for distinct keys at ${result.concurrency} in flight, redirect followed; ${count(result.succeeded)} succeeded, ${count(result.failed)} failed, in ${(result.durationMs / 1000).toFixed(1)} s.`,
    '',
    table,
    '',
    `max/mean ${ratio(result.balance.maxOverMean)}, coefficient of variation ${ratio(result.balance.cv)}. ` +
      (result.countsAgree
        ? 'The three counts agree for every replica.'
        : '**The three counts do not agree** (see the table).'),
    '',
    image(chart),
  ].join('\n');
  return { markdown, charts: [chart] };
}

/** The growing half of a variant's steps: one per N from min to max. */
function growSteps(variant: HashScalingVariantResult) {
  const growing = variant.changes.filter((change) => change.kind === 'add').length;
  return variant.steps.slice(0, growing + 1);
}

export function hashA2Section(result: HashScalingResult): ReportSection {
  const baseline = result.variants[0]!;
  const rows = baseline.steps.map((step, index) => [
    index === 0 ? 'start' : (baseline.changes[index - 1]?.label ?? ''),
    String(step.replicas.length),
    count(Math.round(step.balance.mean)),
    count(step.balance.min),
    count(step.balance.max),
    ratio(step.balance.maxOverMean),
    ratio(step.balance.cv),
  ]);
  const table = markdownTable(
    ['membership change', 'N', 'mean per replica', 'min', 'max', 'max/mean', 'CV'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  const grow = growSteps(baseline);
  const loadPoints: SeriesPoint[] = grow.flatMap((step) => [
    { x: step.replicas.length, series: 'max', value: step.balance.max },
    { x: step.replicas.length, series: 'mean', value: step.balance.mean },
    { x: step.replicas.length, series: 'min', value: step.balance.min },
  ]);
  const chart: ChartFile = {
    file: 'hash-a2-load-per-replica.svg',
    alt: 'A-2: load per replica and max/mean against N',
    spec: seriesLinesChart(
      `A-2: ${count(result.requests)} keys, consistent-hash (${variantName(baseline.variant)})`,
      'replicas N',
      [
        { title: 'requests per replica', valueTitle: 'requests', points: loadPoints },
        {
          title: 'max / mean',
          valueTitle: 'max/mean (1 = perfect)',
          zeroBased: false,
          points: grow.map((step) => ({
            x: step.replicas.length,
            series: 'max/mean',
            value: step.balance.maxOverMean,
          })),
        },
      ],
    ),
  };
  return {
    markdown: [
      `${count(result.requests)} keys routed at every membership (${result.concurrency} in flight; the balancer's 301 is what is measured, counted at the client and equal to \`/rep\`). Grown with \`POST /add\`, then shrunk with \`POST /rm\` removing the oldest replica:`,
      '',
      table,
      '',
      image(chart),
    ].join('\n'),
    charts: [chart],
  };
}

export function hashA4Section(result: HashScalingResult): ReportSection {
  const names = result.variants.map((variant) => variantName(variant.variant));
  const sizes = [
    ...new Set(
      result.variants.flatMap((variant) => growSteps(variant).map((step) => step.replicas.length)),
    ),
  ];
  const balanceTable = markdownTable(
    ['variant', ...sizes.map((n) => `max/mean N=${n}`)],
    result.variants.map((variant) => [
      variantName(variant.variant),
      ...sizes.map((n) => {
        const step = growSteps(variant).find((candidate) => candidate.replicas.length === n);
        return step === undefined ? '–' : ratio(step.balance.maxOverMean);
      }),
    ]),
    ['left', ...sizes.map(() => 'right' as const)],
  );
  const changes = result.variants[0]!.changes;
  const movedTable = markdownTable(
    ['change', 'ideal', ...names],
    changes.map((change, index) => [
      change.label,
      percent(change.ideal),
      ...result.variants.map((variant) => percent(variant.changes[index]?.share ?? Number.NaN)),
    ]),
    ['left', 'right', ...names.map(() => 'right' as const)],
  );

  const threeStep = (variant: HashScalingVariantResult) =>
    growSteps(variant).find((step) => step.replicas.length === 3) ?? growSteps(variant)[0]!;
  const distribution: ChartFile = {
    file: 'hash-a4-distribution.svg',
    alt: 'A-4: requests per replica for each hash function and virtual-node count',
    spec: groupedBarsChart(
      result.variants.flatMap((variant) => {
        const step = threeStep(variant);
        return step.replicas.map((label) => ({
          category: label,
          series: variantName(variant.variant),
          value: step.counts[label] ?? 0,
        }));
      }),
      {
        title: `A-4: distribution over ${threeStep(result.variants[0]!).replicas.length} replicas, ${count(result.requests)} keys`,
        categoryTitle: 'replica',
        valueTitle: 'requests',
        seriesTitle: 'hash, virtual nodes',
        reference: {
          value: result.requests / threeStep(result.variants[0]!).replicas.length,
          label: 'ideal',
        },
      },
    ),
  };
  const balance: ChartFile = {
    file: 'hash-a4-balance.svg',
    alt: 'A-4: max/mean against N for each variant',
    spec: seriesLinesChart('A-4: balance against N', 'replicas N', [
      {
        title: 'max / mean (1 = perfect)',
        valueTitle: 'max/mean',
        zeroBased: false,
        points: result.variants.flatMap((variant) =>
          growSteps(variant).map((step) => ({
            x: step.replicas.length,
            series: variantName(variant.variant),
            value: step.balance.maxOverMean,
          })),
        ),
      },
      {
        title: 'coefficient of variation',
        valueTitle: 'CV',
        points: result.variants.flatMap((variant) =>
          growSteps(variant).map((step) => ({
            x: step.replicas.length,
            series: variantName(variant.variant),
            value: step.balance.cv,
          })),
        ),
      },
    ]),
  };
  const moved: ChartFile = {
    file: 'hash-a4-moved-keys.svg',
    alt: 'A-4: share of keys moved per membership change against the ideal',
    spec: seriesLinesChart(
      'A-4: keys moved when a replica is added or removed',
      'membership change',
      [
        {
          title: 'share of keys that changed replica',
          valueTitle: 'share moved',
          dashedSeries: 'ideal 1/N',
          points: [
            ...changes.map((change) => ({
              x: change.label,
              series: 'ideal 1/N',
              value: change.ideal,
            })),
            ...result.variants.flatMap((variant) =>
              variant.changes.map((change) => ({
                x: change.label,
                series: variantName(variant.variant),
                value: change.share,
              })),
            ),
          ],
        },
      ],
    ),
  };
  const betweenSurvivors = result.variants.reduce(
    (sum, variant) =>
      sum + variant.changes.reduce((inner, change) => inner + change.movedBetweenSurvivors, 0),
    0,
  );
  return {
    markdown: [
      'Balance (max/mean of requests per replica) while growing:',
      '',
      balanceTable,
      '',
      'Share of the keys that changed replica at each membership change; the ideal is 1/N of the larger membership (the newcomer takes its share, or the leaver’s keys go):',
      '',
      movedTable,
      '',
      `Keys that moved between two replicas that both stayed, over every variant and change: **${count(betweenSurvivors)}** (a minimal-disruption scheme moves none: only the newcomer's or the leaver's keys change hands).`,
      '',
      image(distribution),
      '',
      image(balance),
      '',
      image(moved),
    ].join('\n'),
    charts: [distribution, balance, moved],
  };
}
