import {
  app,
  type EventGridFunctionOptions,
  type HttpFunctionOptions,
  type StorageQueueFunctionOptions,
  type TimerFunctionOptions,
} from '@azure/functions';

/** A function as functions/ registers it: what Azure runs, and what the local host runs the same way. */
export type FunctionRegistration =
  | { kind: 'timer'; name: string; options: TimerFunctionOptions }
  | { kind: 'storageQueue'; name: string; options: StorageQueueFunctionOptions }
  | { kind: 'eventGrid'; name: string; options: EventGridFunctionOptions }
  | { kind: 'http'; name: string; options: HttpFunctionOptions };

const registrations: FunctionRegistration[] = [];
let forwardToFunctionsRuntime = true;

function register(registration: FunctionRegistration): void {
  registrations.push(registration);
  if (!forwardToFunctionsRuntime) return;
  switch (registration.kind) {
    case 'timer':
      return app.timer(registration.name, registration.options);
    case 'storageQueue':
      return app.storageQueue(registration.name, registration.options);
    case 'eventGrid':
      return app.eventGrid(registration.name, registration.options);
    case 'http':
      return app.http(registration.name, registration.options);
  }
}

/**
 * `app.timer`, `app.storageQueue`, `app.eventGrid` and `app.http` of `@azure/functions`, recording each
 * registration so that the local host (`akscert serve`) can run exactly what Azure runs.
 */
export const functions = {
  timer: (name: string, options: TimerFunctionOptions) => register({ kind: 'timer', name, options }),
  storageQueue: (name: string, options: StorageQueueFunctionOptions) => register({ kind: 'storageQueue', name, options }),
  eventGrid: (name: string, options: EventGridFunctionOptions) => register({ kind: 'eventGrid', name, options }),
  http: (name: string, options: HttpFunctionOptions) => register({ kind: 'http', name, options }),
};

/** For the local host: keep registrations to ourselves (the Functions runtime is absent). Call before importing functions/. */
export function hostLocally(): void {
  forwardToFunctionsRuntime = false;
}

export function registeredFunctions(): readonly FunctionRegistration[] {
  return registrations;
}
