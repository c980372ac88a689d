/** Tables and the timeline chart of A-3 (admin API, replica failover). */
import type { HashA3Result } from '../experiments/hashing/hash-results.js';
import { failoverTimelineChart } from '../plots/failover-timeline-chart.js';
import { count, markdownTable, ms } from './markdown-table.js';
import { type ChartFile, image, type ReportSection } from './report-section.js';

export function hashA3Section(result: HashA3Result): ReportSection {
  const admin = markdownTable(
    ['call', 'status', 'checked in /rep or the body'],
    result.adminChecks.map((check) => [`\`${check.call}\``, check.status, check.effect]),
  );
  const trials = markdownTable(
    [
      'kill',
      'victim (pid)',
      'last 301 to it',
      'gone from /rep',
      'replacement up',
      'replacement served',
      'lost in flight',
      'lost before detection',
      'lost after detection',
      'errors',
    ],
    result.trials.map((trial, index) => [
      String(index + 1),
      `${trial.victim} (${trial.victimPid})`,
      `${ms(trial.lastRedirectAfterMs)} ms`,
      `${ms(trial.goneAfterMs)} ms`,
      `${ms(trial.upAfterMs)} ms`,
      `${ms(trial.servedAfterMs)} ms`,
      count(trial.lostInFlight),
      count(trial.lostInDetectionWindow),
      count(trial.lostAfterDetection),
      Object.entries(trial.failures)
        .map(([code, n]) => `${code} ×${n}`)
        .join(', ') || '–',
    ]),
    ['right', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
  const elsewhere = result.trials.reduce((sum, trial) => sum + trial.lostElsewhere, 0);
  const chart: ChartFile = {
    file: 'hash-a3-failover.svg',
    alt: 'A-3: requests finished per 100 ms around the first replica kill',
    spec: failoverTimelineChart(
      'A-3: requests finished around the first kill (SIGKILL of a replica)',
      100,
      result.timeline,
      result.timelineMarkers,
    ),
  };
  return {
    markdown: [
      admin,
      '',
      `Failover: ${result.replicas} replicas under a closed-loop load of ${result.concurrency} in flight (keys cycled, redirect followed, no client retry); ${result.trials.length} replica(s) SIGKILLed one after the other, each once a warm standby was ready. Times from the kill:`,
      '',
      trials,
      '',
      `${count(result.totalRequests)} requests in all, ${count(result.totalFailed)} failed; failures on replicas that were not killed: ${count(elsewhere)}. Control: a plain lb-server child SIGKILLed by the bench was reported exited after ${ms(result.exitNoticeMs)} ms.`,
      '',
      image(chart),
    ].join('\n'),
    charts: [chart],
  };
}
