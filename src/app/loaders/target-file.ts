import { parseTargetText, type TargetPortfolio } from '../../domain/target-portfolio.js';
import { splitCsvLine } from '../../market/csv.js';

/** A JSON or CSV target file's text as a target portfolio. Throws TargetParseError listing every problem. */
export function parseTargetPortfolio(text: string, source: string): TargetPortfolio {
  return parseTargetText(text, source, splitCsvLine);
}
