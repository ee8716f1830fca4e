// What every scan report (table, JSON, SARIF) renders: the scan's findings with the settings
// applied (suppressed ones marked), and its summary with what the settings changed.

import { COULD_NOT_EVALUATE } from '../../model/finding';
import type { ScanResult, ScanSummary } from '../../pipeline/scan/scan';
import { type ScanFinding, type Suppressed, suppressFindings } from '../../pipeline/scan/suppress';
import type { Finding } from '../../rules/core/judge';
import type { Settings } from '../../settings/schema';

export interface ReportSummary extends ScanSummary {
  /** Findings that need attention but are held back by an exemption or the opt-out tag. */
  readonly suppressed: number;
  /** Expired exemptions that matched a finding: reported, no longer applied. */
  readonly expiredExemptions: readonly string[];
  /** The settings file applied, or null for the defaults. */
  readonly settings: string | null;
  /** False when not one resource could be judged (every read failed or was denied). */
  readonly evaluated: boolean;
}

export interface ScanReport {
  readonly findings: readonly ScanFinding[];
  readonly summary: ReportSummary;
}

export const needsAttention = (finding: Finding) =>
  finding.status === 'NON_COMPLIANT' || finding.status === 'ERROR';

/** True when no rule judged anything and something could not be read: a scan that saw nothing. */
export function nothingEvaluated(findings: readonly Finding[]): boolean {
  const judged = findings.some(
    (finding) => finding.ruleId !== COULD_NOT_EVALUATE && finding.status !== 'ERROR',
  );
  return !judged && findings.some((finding) => finding.status === 'ERROR');
}

export interface ApplySettings {
  readonly settings: Pick<Settings, 'exemptions' | 'optOutTagKey'>;
  readonly source: string | null;
  /** Rules the settings switch off, with why: listed among the skipped rules. */
  readonly rulesOff: readonly { readonly ruleId: string; readonly why: string }[];
  readonly now: Date;
}

/** The report of a scan; without settings, nothing is suppressed (the demo, tests). */
export function scanReport(result: ScanResult, apply?: ApplySettings): ScanReport {
  const suppressed: Suppressed = apply
    ? suppressFindings(result.findings, result.estate, apply.settings, apply.now)
    : { findings: result.findings, expiredExemptions: [] };
  return {
    findings: suppressed.findings,
    summary: {
      ...result.summary,
      skippedRules: [...(apply?.rulesOff ?? []), ...result.summary.skippedRules],
      suppressed: suppressed.findings.filter((finding) => finding.suppressed).length,
      expiredExemptions: suppressed.expiredExemptions,
      settings: apply?.source ?? null,
      evaluated: !nothingEvaluated(result.findings),
    },
  };
}
