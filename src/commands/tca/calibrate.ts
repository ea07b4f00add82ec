import * as Flags from '@oclif/core/flags';
import { renderCalibration } from '../../app/render/calibrate-view.js';
import { calibrateCostModel } from '../../app/tca-calibrate-service.js';
import { BaseCommand } from '../base-command.js';

export default class TcaCalibrate extends BaseCommand {
  static override summary = "Fit the cost estimate's impact coefficients to your own executions.";
  static override description = `Least squares, over every executed leg whose plan recorded a cost estimate, of the realised trading + opportunity shortfall less the estimated spread cost and permanent impact, against σ·√(Q/V_horizon): the temporary impact coefficient η of the square-root law, one for legs that took liquidity and one for legs that rested at the touch. Prints each fit (n, coefficient, R², error before and after) and writes the model to cost-model.json in the config folder, where the estimator reads it first (README "ptexec tca calibrate"). --dry-run prints without writing.`;
  static override examples = ['<%= config.bin %> tca calibrate --dry-run', '<%= config.bin %> tca calibrate --broker paper --since 2026-01-01 --json'];
  static override flags = {
    broker: Flags.string({ char: 'b', description: 'only runs of this broker' }),
    since: Flags.string({ description: 'only runs whose trading date is on or after this date (YYYY-MM-DD)' }),
    until: Flags.string({ description: 'only runs whose trading date is on or before this date (YYYY-MM-DD)' }),
    'dry-run': Flags.boolean({ description: 'print the fit without writing it' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(TcaCalibrate);
    const result = await calibrateCostModel(this.factory, { broker: flags.broker, since: flags.since, until: flags.until, dryRun: flags['dry-run'] });
    if (!this.jsonEnabled()) renderCalibration(this.out, result.calibration);
    return this.finish(result);
  }
}
