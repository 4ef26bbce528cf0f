/**
 * `keysmith check --format sarif`: the findings as a SARIF 2.1.0 log, for GitHub code scanning and
 * other tools that read SARIF.
 *
 * - One `tool.driver.rules` entry per check code (all of RULES, in their order, whether or not
 *   anything was found), with title, description, default level and a help URI: the rule's README
 *   section (`README_URL#rule-<code>`).
 * - One result per finding: ruleId/ruleIndex, level (error, warning; info and hint are `note`),
 *   the message (it names keys and files, never values) and one location: the file relative to the
 *   current directory (a relative URI with uriBaseId `%SRCROOT%`) and its region (lines and
 *   columns from 1, columns in UTF-16 code units, end column exclusive).
 * - `invocations[0].executionSuccessful` is false when a file could not be read (exit status 2).
 *
 * Nothing here reads a value: only positions, codes and messages of findings.
 */
import { RULES, type RuleCode, type Severity } from '../core/rules.ts';
import { VERSION } from './version.ts';

/** Where the README lives; rule anchors are `#rule-<code>`. Same as `homepage` in package.json. */
export const README_URL = 'https://github.com/keysmith/keysmith/blob/main/README.md';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** One finding as the CLI reports it: positions from 1, end column exclusive. */
export interface CliFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: RuleCode;
  message: string;
}

export type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** A path as printed by the CLI ("apps/web/.env") as a relative URI ("apps/web/.env", "my%20app/.env"). */
export function pathToRelativeUri(path: string): string {
  return path
    .split(/[\\/]/)
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

export function buildSarif(findings: readonly CliFinding[], executionSuccessful: boolean): object {
  const ruleIndex = new Map<RuleCode, number>(RULES.map((r, i) => [r.code, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keysmith',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: README_URL,
            rules: RULES.map((r) => ({
              id: r.code,
              name: r.code,
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              help: { text: `${r.description} See ${README_URL}#${r.docsAnchor}` },
              helpUri: `${README_URL}#${r.docsAnchor}`,
              defaultConfiguration: { level: sarifLevel(r.defaultSeverity) },
              properties: { tags: ['security', 'dotenv'], scope: r.scope },
            })),
          },
        },
        invocations: [{ executionSuccessful }],
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The directory keysmith check ran in.' } } },
        results: findings.map((f) => {
          const region: Record<string, number> = { startLine: f.line, startColumn: f.column };
          if (f.endLine > f.line || (f.endLine === f.line && f.endColumn > f.column)) {
            region['endLine'] = f.endLine;
            region['endColumn'] = f.endColumn;
          }
          return {
            ruleId: f.code,
            ruleIndex: ruleIndex.get(f.code),
            level: sarifLevel(f.severity),
            message: { text: f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: pathToRelativeUri(f.file), uriBaseId: '%SRCROOT%' },
                  region,
                },
              },
            ],
          };
        }),
      },
    ],
  };
}
