import { describe, expect, it } from 'vitest';
import {
  AksCertError, ClusterShapeError, ConfigError, httpStatusOf, isConflict, isNotFound, messageOf, PageTokenError, PolicyError,
  SourceReadError, StoredRowError, StoreError, UnconfirmedEventError, UsageError,
} from '../../../shared/domain/errors.js';

describe('the error family', () => {
  it.each([
    [UsageError, 'usage'], [ConfigError, 'usage'], [PolicyError, 'usage'], [PageTokenError, 'usage'],
    [AksCertError, 'failure'], [StoreError, 'failure'], [StoredRowError, 'failure'], [UnconfirmedEventError, 'failure'], [ClusterShapeError, 'failure'],
  ] as const)('%o ends a command as a %s, is an AksCertError named after its class, and keeps its cause', (Kind, exitKind) => {
    const cause = new Error('the SDK said no');
    const error = new Kind('what went wrong', { cause });
    expect(error).toBeInstanceOf(AksCertError);
    expect(error).toBeInstanceOf(Error);
    expect(error.exitKind).toBe(exitKind);
    expect(error.name).toBe(Kind.name);
    expect(error.message).toBe('what went wrong');
    expect(error.cause).toBe(cause);
  });

  it('gives a source that could not be read its reason word, code and status', () => {
    const error = new SourceReadError('listing answered HTTP 403 AuthorizationFailed', 'forbidden', 'AuthorizationFailed', { status: 403 });
    expect(error).toMatchObject({ reason: 'forbidden', code: 'AuthorizationFailed', status: 403, exitKind: 'failure', name: 'SourceReadError' });
    expect(new SourceReadError('no answer', 'unreachable', 'ECONNREFUSED').status).toBeUndefined();
  });
});

describe('reading SDK failures', () => {
  it('finds the HTTP status of an SDK error, and none elsewhere', () => {
    expect(httpStatusOf({ statusCode: 412 })).toBe(412);
    expect(httpStatusOf({ statusCode: '412' })).toBeUndefined();
    expect(httpStatusOf(new Error('plain'))).toBeUndefined();
    expect(httpStatusOf(undefined)).toBeUndefined();
  });

  it('reads 404 as absent, and 409 or 412 as someone else writing first', () => {
    expect(isNotFound({ statusCode: 404 })).toBe(true);
    expect(isNotFound({ statusCode: 410 })).toBe(false);
    expect([409, 412, 404, 500].map((statusCode) => isConflict({ statusCode }))).toEqual([true, true, false, false]);
    expect(isConflict(new Error('no status'))).toBe(false);
  });

  it('says what was thrown in one line', () => {
    expect(messageOf(new Error('first line\nstack-like detail'))).toBe('first line');
    expect(messageOf('a string')).toBe('a string');
    expect(messageOf(42)).toBe('42');
  });
});
