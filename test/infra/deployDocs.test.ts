/**
 * The deployment as the README tells it (Deployment, Auditors, Removal, Least privilege) and the
 * runbook's deploy-related sections: the az commands they give exist with those flags, the azd
 * environment values they set are read by the templates or the hooks, and the four tasks a new reader
 * has (deploy, subscribe the events, grant auditors, remove it all) are each there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { azInvocations, unverified } from './azCli.js';
import { readInfra, repositoryRoot } from './bicep.js';

const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
const operations = readFileSync(join(repositoryRoot, 'docs', 'operations.md'), 'utf8');

/** A `## ` section of a markdown text, its `### ` subsections included, up to the next `## `. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section "## ${heading}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** The shell a markdown text gives: its code blocks and inline code spans. */
function code(text: string): string {
  const blocks = [...text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const prose = text.replace(/```[a-z]*\n[\s\S]*?```/g, '');
  return [...blocks, ...[...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!)].join('\n');
}

const deployment = section(readme, 'Deployment');
const sections = {
  'README Deployment': deployment,
  'README Least privilege': section(readme, 'Least privilege'),
  'operations.md Auditors': section(operations, 'Auditors: the API behind Entra ID'),
  'operations.md Remove': section(operations, 'Remove'),
};

describe('the deployment docs', () => {
  it('give only az commands and flags checked against the CLI\'s help', () => {
    expect(azInvocations(code(deployment)).length).toBeGreaterThan(15);
    for (const [name, text] of Object.entries(sections)) expect(unverified(azInvocations(code(text))), name).toEqual([]);
  });

  it('set only azd environment values the templates or the hooks read', () => {
    const readers = [readInfra('main.parameters.json'), readInfra(join('hooks', 'postdeploy.sh')), readInfra(join('hooks', 'postdeploy.ps1'))].join('\n');
    const set = [...new Set([...code(readme).matchAll(/azd env set ([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!))];
    expect(set).toEqual(expect.arrayContaining(['AZURE_SUBSCRIPTION_IDS', 'REMEDIATION', 'AKS_CLUSTER_EVENTS', 'API_AUTH_CLIENT_ID', 'AKS_USER_CREDENTIAL_FALLBACK']));
    expect(set.filter((name) => !new RegExp(`\\$\\{${name}\\b|\\$env:${name}\\b`).test(readers))).toEqual([]);
  });

  it('read only azd environment values the deployment sets (main.bicep outputs)', () => {
    const outputs = new Set([...readInfra('main.bicep').matchAll(/^output ([A-Z][A-Z0-9_]*) /gm)].map((m) => m[1]!));
    const read = [...code(deployment).matchAll(/azd env get-value ([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!);
    expect(read.length).toBeGreaterThan(0);
    // AZURE_SUBSCRIPTION_ID is azd's own, chosen at `azd up`.
    expect(read.filter((name) => name !== 'AZURE_SUBSCRIPTION_ID' && !outputs.has(name))).toEqual([]);
  });

  it('tell a new reader how to deploy, subscribe the events, grant auditors and remove it all', () => {
    const shell = code(deployment);
    expect(shell).toContain('azd up');
    expect(shell).toContain('azd hooks run postdeploy');
    expect(shell).toMatch(/az rest --method POST --url "https:\/\/graph\.microsoft\.com\/v1\.0\/servicePrincipals\/\$SP_ID\/appRoleAssignedTo"/);
    expect(shell).toContain('azd env set API_AUTH_CLIENT_ID');
    expect(shell).toContain('azd down --purge');
    // What azd down leaves behind goes first, while the identity it is looked up by exists.
    expect(shell.indexOf('az role assignment delete --assignee "$PRINCIPAL_ID"')).toBeGreaterThan(-1);
    expect(shell.indexOf('az role assignment delete --assignee "$PRINCIPAL_ID"')).toBeLessThan(shell.indexOf('azd down --purge'));
    for (const role of ['AKS Certificate Compliance Reader', 'AKS Certificate Compliance Operator']) expect(shell).toContain(`az role definition delete --name "${role}"`);
  });

  it('link only README sections that exist', () => {
    const anchors = new Set([...readme.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    const linked = [...operations.matchAll(/\]\(\.\.\/README\.md#([a-z0-9-]+)\)/g)].map((m) => m[1]!);
    expect(linked).toEqual(expect.arrayContaining(['deployment', 'auditors', 'removal', 'least-privilege']));
    expect(linked.filter((anchor) => !anchors.has(anchor))).toEqual([]);
  });
});
