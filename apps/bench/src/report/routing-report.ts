/** Tables and charts of experiment 1 (routing) and 3 (simulator beside reality). */
import type { RoutingResult, RoutingRun } from '../experiments/routing/routing-result.js';
import { ROUTING_STRATEGIES } from '../experiments/routing/routing-strategies.js';
import type { SimulatorResult } from '../experiments/simulator/simulator-experiment.js';
import { groupedBarsChart } from '../plots/grouped-bars-chart.js';
import { latencyCdfChart } from '../plots/latency-cdf-chart.js';
import { stackedRequestsChart } from '../plots/stacked-requests-chart.js';
import { count, markdownTable, ms } from './markdown-table.js';
import { type ChartFile, image, type ReportSection } from './report-section.js';

export function routingTable(result: RoutingResult): string {
  const labels = result.machines.map((machine) => machine.label);
  const header = ['strategy', 'URL', 'mean', 'p50', 'p95', 'p99', 'failed', ...labels];
  const rows = result.runs.map((run) => {
    const latency = run.aggregate.latency;
    return [
      run.strategy,
      `\`${run.path}\``,
      ms(latency.mean),
      ms(latency.p50),
      ms(latency.p95),
      ms(latency.p99),
      count(run.aggregate.failed),
      ...labels.map((label) => count(run.aggregate.perServer[label] ?? 0)),
    ];
  });
  return markdownTable(header, rows, [
    'left',
    'left',
    ...header.slice(2).map(() => 'right' as const),
  ]);
}

export function machinesTable(result: RoutingResult): string {
  return markdownTable(
    ['machine', 'region', 'added latency (ms)', 'rate (bytes/s)'],
    result.machines.map((machine) => [
      machine.label,
      machine.region,
      String(machine.latencyMs),
      machine.rate ?? 'unthrottled',
    ]),
    ['left', 'left', 'right', 'right'],
  );
}

/** Runs whose client-side counts differ from the balancer's /rep counts, described. */
export function crossCheckProblems(result: RoutingResult): string[] {
  const problems: string[] = [];
  for (const run of result.runs) {
    for (const machine of result.machines) {
      const client = run.clientRedirects[machine.label] ?? 0;
      const balancer = run.balancerRedirects[machine.label] ?? 0;
      if (client !== balancer) {
        problems.push(`${run.strategy} ${machine.label}: client ${client}, /rep ${balancer}`);
      }
    }
  }
  return problems;
}

export function routingCharts(result: RoutingResult): ChartFile[] {
  return [
    {
      file: 'routing-latency-cdf.svg',
      alt: 'Latency CDF per strategy',
      spec: latencyCdfChart(
        `Full response time (redirect + transfer), ${count(result.parameters.requests)} requests at concurrency ${result.parameters.concurrency}`,
        result.runs.map((run) => ({ name: run.strategy, points: run.cdf })),
      ),
    },
    {
      file: 'routing-requests-per-server.svg',
      alt: 'Requests per server for each strategy',
      spec: stackedRequestsChart(
        'Requests per server (machine = region + number)',
        result.runs.flatMap((run) =>
          Object.entries(run.aggregate.perServer).map(([part, value]) => ({
            group: run.strategy,
            part,
            count: value,
          })),
        ),
        { group: 'strategy', part: 'machine', count: 'requests served' },
      ),
    },
  ];
}

function byMetric(runs: readonly RoutingRun[], metric: 'mean' | 'p99'): RoutingRun[] {
  return [...runs].sort((a, b) => a.aggregate.latency[metric] - b.aggregate.latency[metric]);
}

/** One generated sentence per metric: the order this run produced, so the prose can refer to it. */
export function rankingSentences(result: RoutingResult): string[] {
  return (['mean', 'p99'] as const).map((metric) => {
    const order = byMetric(result.runs, metric)
      .map((run) => `${run.strategy} (${ms(run.aggregate.latency[metric])} ms)`)
      .join(' < ');
    return `By ${metric}: ${order}.`;
  });
}

export function routingSection(result: RoutingResult): ReportSection {
  const charts = routingCharts(result);
  const problems = crossCheckProblems(result);
  const strategies = markdownTable(
    ['strategy', 'balancer `--strategy`', 'URL shape', 'what it does'],
    result.runs.map((run) => {
      const strategy = ROUTING_STRATEGIES[run.strategy];
      return [run.strategy, strategy.balancerStrategy, `\`${run.path}\``, strategy.description];
    }),
  );
  const markdown = [
    machinesTable(result),
    '',
    `Best region by the balancer's probes (lowest median probe time in \`/rep\`): **${result.bestRegion}**.`,
    '',
    strategies,
    '',
    'Full response time at the client in ms (redirect + transfer); requests served per machine:',
    '',
    routingTable(result),
    '',
    problems.length === 0
      ? 'Cross-check: for every strategy, the 301s per machine counted at the client equal the redirects the balancer counted in `/rep`.'
      : `Cross-check differences (client vs \`/rep\`): ${problems.join('; ')}.`,
    '',
    ...rankingSentences(result).map((sentence) => `- ${sentence}`),
    '',
    ...charts.map(image),
  ].join('\n');
  return { markdown, charts };
}

const FEEDBACK_LABELS = {
  'as-balancer': 'simulated (as lb-balancer)',
  completion: 'simulated (completion feedback)',
} as const;

const SIMULATOR_METRICS = ['mean', 'p50', 'p99'] as const;

export function simulatorTable(result: SimulatorResult): string {
  const rows = result.measured.map((measured) => {
    const sim = (feedback: 'as-balancer' | 'completion') =>
      result.runs.find((run) => run.strategy === measured.strategy && run.feedback === feedback)
        ?.latency;
    const asBalancer = sim('as-balancer');
    const completion = sim('completion');
    return [
      measured.strategy,
      ...SIMULATOR_METRICS.flatMap((metric) => [
        ms(measured.latency[metric]),
        ms(asBalancer?.[metric]),
        ms(completion?.[metric]),
      ]),
    ];
  });
  return markdownTable(
    [
      'strategy',
      ...SIMULATOR_METRICS.flatMap((metric) => [
        `${metric} measured`,
        `${metric} sim (as balancer)`,
        `${metric} sim (completion)`,
      ]),
    ],
    rows,
    ['left', ...SIMULATOR_METRICS.flatMap(() => ['right', 'right', 'right'] as const)],
  );
}

export function simulatorSection(result: SimulatorResult): ReportSection {
  const rows = result.measured.flatMap((measured) => {
    const entries = [
      { series: 'measured', latency: measured.latency },
      ...result.runs
        .filter((run) => run.strategy === measured.strategy)
        .map((run) => ({ series: FEEDBACK_LABELS[run.feedback], latency: run.latency })),
    ];
    return entries.flatMap((entry) =>
      SIMULATOR_METRICS.map((metric) => ({
        category: measured.strategy,
        series: entry.series,
        value: entry.latency[metric],
        facet: metric,
      })),
    );
  });
  const chart: ChartFile = {
    file: 'simulator-vs-measured.svg',
    alt: 'Simulated vs measured mean, p50 and p99 per strategy',
    spec: groupedBarsChart(rows, {
      title: 'Simulated vs measured full response time',
      categoryTitle: 'strategy',
      valueTitle: 'ms',
      seriesTitle: 'source',
      independentPanels: true,
    }),
  };
  return {
    markdown: [simulatorTable(result), '', image(chart)].join('\n'),
    charts: [chart],
  };
}
