/**
 * The custom roles in infra/roles/ against the code's declaration of its ARM operations
 * (shared/azure/armOperations.ts), in both directions: an action the code needs and no role grants, or
 * one a role grants and the code does not declare, fails here. No Bicep compiler runs on these
 * machines, so the action lists are kept as plain arrays of string literals and read from the text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_PROBE_ACTIONS, NODE_PROBER_ACTIONS, OPERATOR_ACTIONS, READER_ACTIONS, ROTATION_ACTIONS, SCAN_ACTIONS, USER_CREDENTIAL_FALLBACK_ACTIONS } from '../../shared/azure/armOperations.js';

const rolesDir = join(__dirname, '..', '..', 'infra', 'roles');
const bicep = (file: string) => readFileSync(join(rolesDir, file), 'utf8');

/** The string literals of `var <name> = [ ... ]` (one per line, Bicep's array form). */
function arrayVar(text: string, name: string): string[] {
  const block = new RegExp(`^var ${name} = \\[\\n([\\s\\S]*?)^\\]`, 'm').exec(text);
  if (!block) throw new Error(`no "var ${name} = [" array in the Bicep`);
  return block[1]!.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const literal = /^'([^'\\]*)'$/.exec(line);
    if (!literal) throw new Error(`"${line}" in ${name} is not a plain string literal`);
    return literal[1]!;
  });
}

const actions = bicep('complianceActions.bicep');
const scan = arrayVar(actions, 'scanActions');
const fallback = arrayVar(actions, 'userCredentialFallbackActions');
const rotation = arrayVar(actions, 'rotationActions');
const nodeProbe = arrayVar(actions, 'nodeProbeActions');

/** The reader's and the operator's actions as a role file composes them, with or without the fall-back. */
function composed(file: string, includeUserCredentialFallback: boolean): { reader: string[]; operator: string[] } {
  const text = bicep(file);
  expect(text).toContain("import { scanActions, userCredentialFallbackActions, rotationActions } from 'complianceActions.bicep'");
  expect(text).toContain('var readerActions = concat(scanActions, includeUserCredentialFallback ? userCredentialFallbackActions : [])');
  expect(text).toContain('var operatorActions = concat(readerActions, rotationActions)');
  const reader = [...scan, ...(includeUserCredentialFallback ? fallback : [])];
  return { reader, operator: [...reader, ...rotation] };
}

/** Each role definition's roleName, with the action list its permissions name. */
function roleDefinitions(text: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of text.matchAll(/resource \w+ 'Microsoft\.Authorization\/roleDefinitions@2022-04-01' = \{[\s\S]*?roleName: '([^']+)'[\s\S]*?actions: (\w+)\n/g)) {
    found[match[1]!] = match[2]!;
  }
  return found;
}

describe('the compliance roles (infra/roles)', () => {
  it('grant exactly the scan, fall-back and rotation actions the code declares, each list both ways', () => {
    expect(scan).toEqual([...SCAN_ACTIONS]);
    expect(fallback).toEqual([...USER_CREDENTIAL_FALLBACK_ACTIONS]);
    expect(rotation).toEqual([...ROTATION_ACTIONS]);
    expect(nodeProbe).toEqual([...NODE_PROBE_ACTIONS]);
  });

  for (const file of ['complianceRoles.bicep', 'complianceRolesManagementGroup.bicep']) {
    it(`${file}: the Reader is the scan's actions, the Operator the Reader's and rotation's, as the code declares them`, () => {
      const roles = composed(file, false);
      expect(roles.reader).toEqual([...READER_ACTIONS]);
      expect(roles.operator).toEqual([...OPERATOR_ACTIONS]);
      expect(composed(file, true).reader).toEqual([...SCAN_ACTIONS, ...USER_CREDENTIAL_FALLBACK_ACTIONS]);
      expect(roleDefinitions(bicep(file))).toEqual({
        'AKS Certificate Compliance Reader': 'readerActions',
        'AKS Certificate Compliance Operator': 'operatorActions',
        'AKS Certificate Compliance Node Prober': 'nodeProberActions',
      });
      expect(bicep(file)).toContain("import { nodeProbeActions } from 'complianceActions.bicep'");
      expect(bicep(file)).toContain('var nodeProberActions = nodeProbeActions');
      expect(nodeProbe).toEqual([...NODE_PROBER_ACTIONS]);
    });
  }

  it('define the roles at a subscription or a management group, named deterministically, and otherwise alike', () => {
    const subscription = bicep('complianceRoles.bicep');
    const managementGroup = bicep('complianceRolesManagementGroup.bicep');
    expect(subscription).toMatch(/^targetScope = 'subscription'$/m);
    expect(managementGroup).toMatch(/^targetScope = 'managementGroup'$/m);
    expect(subscription.match(/name: guid\(subscription\(\)\.id, 'AKS Certificate Compliance (Reader|Operator|Node Prober)'\)/g)).toHaveLength(3);
    // Every role is assignable where its file says: the subscription (and the further ones given), or the group.
    for (const text of [subscription, managementGroup]) {
      expect(text.match(/^\s+assignableScopes: (.+)$/gm)?.map((line) => line.trim())).toEqual(Array(3).fill('assignableScopes: assignableScopes'));
    }
    expect(subscription).toContain("var assignableScopes = union([subscription().id], map(assignableSubscriptionIds, id => '/subscriptions/${id}'))");
    expect(subscription).toMatch(/^param assignableSubscriptionIds array = \[\]$/m);
    expect(managementGroup).toContain('var assignableScopes = [managementGroup().id]');
    // From the first role on, the files are the same but for their scope.
    const roles = (text: string) => text.slice(text.indexOf('\nresource '));
    expect(roles(managementGroup)).toEqual(roles(subscription).replaceAll('subscription().id', 'managementGroup().id'));
  });

  it('output each role definition\'s id and name (its GUID), by which another subscription assigns it', () => {
    for (const file of ['complianceRoles.bicep', 'complianceRolesManagementGroup.bicep']) {
      for (const [role, resource] of [['reader', 'reader'], ['operator', 'operator']] as const) {
        expect(bicep(file)).toMatch(new RegExp(`^output ${role}RoleDefinitionId string = ${resource}\\.id$`, 'm'));
        expect(bicep(file)).toMatch(new RegExp(`^output ${role}RoleDefinitionName string = ${resource}\\.name$`, 'm'));
      }
    }
  });

  it('assign the role asked for to the service principal, by its definition\'s name in the subscription assigned at', () => {
    const grant = bicep('complianceRoleGrant.bicep');
    expect(grant).toMatch(/^targetScope = 'subscription'$/m);
    expect(grant).toMatch(/^param principalId string$/m);
    expect(grant).toMatch(/^param roleDefinitionName string$/m);
    expect(grant).toMatch(/@allowed\(\[\n\s+'reader'\n\s+'operator'\n\]\)\nparam roleName string/);
    expect(grant).toContain("roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionName)");
    expect(grant).toContain("name: guid(subscription().id, principalId, 'AKS Certificate Compliance ${roleName}')");
    expect(grant).toContain("principalType: 'ServicePrincipal'");
  });

  it('define and assign in one subscription through the roles and grant modules (the README\'s one-subscription deployment)', () => {
    const assignment = bicep('complianceRoleAssignment.bicep');
    expect(assignment).toMatch(/^targetScope = 'subscription'$/m);
    expect(assignment).toMatch(/^param principalId string$/m);
    expect(assignment).toMatch(/@allowed\(\[\n\s+'reader'\n\s+'operator'\n\]\)\nparam roleName string/);
    expect(assignment).toContain("module roles 'complianceRoles.bicep'");
    expect(assignment).toContain("module grant 'complianceRoleGrant.bicep'");
    expect(assignment).toContain("roleDefinitionName: roleName == 'operator' ? roles.outputs.operatorRoleDefinitionName : roles.outputs.readerRoleDefinitionName");
    expect(assignment).not.toMatch(/roleAssignments@/);
  });

  it('never grant the cluster admin credential, nor any wildcard', () => {
    for (const file of ['complianceActions.bicep', 'complianceRoles.bicep', 'complianceRolesManagementGroup.bicep', 'complianceRoleAssignment.bicep', 'complianceRoleGrant.bicep']) {
      expect(bicep(file)).not.toMatch(/listClusterAdminCredential|'[^']*\*[^']*'/i);
    }
  });
});
