import { Args } from '@oclif/core';
import * as Flags from '@oclif/core/flags';
import { importUniverse } from '../../../app/paper-universe-service.js';
import { renderUniverseImport } from '../../../app/render/paper-universe-view.js';
import { BaseCommand } from '../../base-command.js';

export default class PaperUniverseImport extends BaseCommand {
  static override summary = 'Add listed instruments to the paper market from instrument files.';
  static override description =
    "Reads ptexec's universe CSV, the Kite instruments dump (api.kite.trade/instruments), NSE's full bhavcopies and NSE's and BSE's equity bhavcopies (several sessions give the daily volume and the volatility), and the instrument masters of Upstox, Fyers, Angel One and Groww as downloaded (gzipped too). What a file lacks is taken from the listing already known; a BSE share without a price takes that of the same ISIN on NSE. The built-in instruments keep their figures.";
  static override examples = [
    '<%= config.bin %> paper universe import instruments.csv',
    '<%= config.bin %> paper universe import sec_bhavdata_full_*.csv',
    '<%= config.bin %> paper universe import BhavCopy_BSE_CM_0_0_0_2025*.CSV',
    '<%= config.bin %> paper universe import my-universe.csv --replace',
    '<%= config.bin %> paper universe import --from zerodha',
    '<%= config.bin %> paper universe import complete.json.gz NSE_CM.csv',
  ];
  static override strict = false;
  static override args = { file: Args.string({ description: 'instrument files' }) };
  static override flags = {
    from: Flags.string({ description: "import a logged-in broker's instrument master too (zerodha, upstox, fyers, angelone, groww)", helpValue: 'BROKER' }),
    replace: Flags.boolean({ description: 'forget earlier imports first' }),
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(PaperUniverseImport);
    const report = await importUniverse(this.factory, { files: argv as string[], from: flags.from, replace: flags.replace });
    if (!this.jsonEnabled()) renderUniverseImport(this.out, report);
    return report;
  }
}
