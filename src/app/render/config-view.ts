import type { Output } from '../../lib/output.js';
import type { ConfigReport } from '../config-report.js';

/** `ptexec config`: the file (or that defaults apply), then each value and where it comes from. */
export function renderConfigReport(out: Output, report: ConfigReport): void {
  out.info(`${report.file}${report.file_exists ? '' : ' (not found: defaults apply; `ptexec config init` writes one)'}`);
  out.table(
    [{ header: 'key' }, { header: 'value', truncate: true }, { header: 'source', priority: 1 }],
    report.values.map((v) => [v.key, typeof v.value === 'string' ? v.value : JSON.stringify(v.value), v.source]),
  );
}
