/** The bench's flags as markdown tables, one per group, from the same data yargs uses. */
import { BENCH_FLAG_GROUPS, benchFlags } from '../bench-flags.js';
import { markdownTable } from './markdown-table.js';

export function flagsTables(): string {
  return Object.values(BENCH_FLAG_GROUPS)
    .map((group) => {
      const rows = Object.entries(benchFlags)
        .filter(([, flag]) => flag.group === group)
        .map(([name, flag]) => {
          const choices = 'choices' in flag ? `; one of ${flag.choices.join(', ')}` : '';
          return [`\`--${name}\``, `${flag.describe}${choices}`];
        });
      return `**${group}**\n\n${markdownTable(['flag', 'meaning'], rows)}`;
    })
    .join('\n\n');
}
