/**
 * The Azure CLI commands the deployment's scripts and docs run, with the flags each takes, as read by hand
 * from `az <command> --help` (azure-cli 2.45.0; `az eventgrid ... --help` needed the models its Debian
 * package lacks stubbed to load). No `az` runs in CI, so a command or flag added to the hooks or the
 * deployment docs fails here until someone has checked it against the CLI's help and listed it.
 */

/** Flags every `az` command takes (the CLI's global arguments). */
const GLOBAL_FLAGS = ['--subscription', '--query', '-o', '--output', '--only-show-errors', '--help', '-h', '--verbose', '--debug'];

/** Each command and its own flags, long and short forms as the help lists them. */
export const VERIFIED_AZ_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  'functionapp show': ['--resource-group', '-g', '--name', '-n', '--slot', '-s', '--ids'],
  'functionapp keys list': ['--resource-group', '-g', '--name', '-n', '--slot', '-s'],
  'functionapp config appsettings set': ['--resource-group', '-g', '--name', '-n', '--settings', '--slot-settings', '--slot', '-s', '--ids'],
  'functionapp deployment source config-zip': ['--resource-group', '-g', '--name', '-n', '--src', '--build-remote', '--timeout', '-t', '--slot', '-s', '--ids'],
  'provider register': ['--namespace', '-n', '--wait', '--consent-to-permissions', '-c', '--management-group-id', '-m'],
  'group exists': ['--name', '--resource-group', '-g', '-n'],
  'group create': ['--name', '--resource-group', '-g', '-n', '--location', '-l', '--tags', '--managed-by'],
  'group delete': ['--name', '--resource-group', '-g', '-n', '--yes', '-y', '--no-wait', '--force-deletion-types', '-f'],
  'aks list': ['--resource-group', '-g'],
  'identity list': ['--resource-group', '-g'],
  'eventgrid system-topic list': ['--resource-group', '-g', '--odata-query'],
  'eventgrid system-topic create': ['--name', '-n', '--resource-group', '-g', '--source', '--topic-type', '--location', '-l', '--tags', '--mi-system-assigned', '--mi-user-assigned'],
  'eventgrid system-topic delete': ['--name', '-n', '--resource-group', '-g', '--yes', '-y', '--ids'],
  'eventgrid system-topic event-subscription create': [
    '--name', '-n', '--resource-group', '-g', '--system-topic-name', '--endpoint', '--endpoint-type', '--event-delivery-schema',
    '--included-event-types', '--advanced-filter', '--subject-begins-with', '--subject-ends-with', '--max-delivery-attempts', '--event-ttl', '--deadletter-endpoint', '--labels', '--expiration-date',
  ],
  'eventgrid system-topic event-subscription delete': ['--name', '-n', '--resource-group', '-g', '--system-topic-name', '--yes', '-y'],
  'deployment sub create': ['--location', '-l', '--template-file', '-f', '--parameters', '-p', '--name', '-n', '--what-if', '-w'],
  'deployment mg create': ['--management-group-id', '-m', '--location', '-l', '--template-file', '-f', '--parameters', '-p', '--name', '-n', '--what-if', '-w'],
  'role assignment create': ['--role', '--assignee', '--assignee-object-id', '--assignee-principal-type', '--scope', '--resource-group', '-g', '--description', '--name', '-n'],
  'role assignment delete': ['--assignee', '--role', '--scope', '--resource-group', '-g', '--ids', '--include-inherited', '--yes', '-y'],
  'role definition delete': ['--name', '-n', '--scope', '--custom-role-only', '--resource-group', '-g'],
  'ad app create': ['--display-name', '--sign-in-audience', '--app-roles', '--identifier-uris', '--required-resource-accesses', '--optional-claims'],
  'ad app update': ['--id', '--identifier-uris', '--app-roles', '--sign-in-audience', '--display-name', '--set', '--add', '--remove'],
  'ad app delete': ['--id'],
  'ad sp create': ['--id'],
  'ad sp update': ['--id', '--set', '--add', '--remove'],
  'ad sp show': ['--id'],
  rest: ['--method', '-m', '--url', '--uri', '-u', '--body', '-b', '--headers', '--resource'],
  'account get-access-token': ['--resource', '--resource-type', '--scope', '--tenant', '-t'],
  login: ['--tenant', '-t', '--use-device-code', '--scope'],
};

export interface AzInvocation {
  command: string;
  flags: string[];
  text: string;
}

/** Text with its line continuations (bash `\`, PowerShell backtick) joined into one line each. */
const joinContinuations = (text: string) => text.replace(/[ \t]*[\\`][ \t]*\r?\n[ \t]*/g, ' ');

/**
 * Each `az ...` invocation of a line: the words after `az` up to its first flag name the command, the
 * tokens beginning with `-` are its flags. It ends, outside quotes, at a pipe, `;`, `&`, `)`, a
 * redirection or a comment, so a value such as a JMESPath query never reads as a flag.
 */
export function azInvocations(text: string): AzInvocation[] {
  const found: AzInvocation[] = [];
  for (const line of joinContinuations(text).split('\n').filter((l) => !l.trimStart().startsWith('#'))) {
    for (const start of [...line.matchAll(/(?:^|[\s($"])az\s+(?=[a-z])/g)].map((m) => m.index! + m[0].length)) {
      const tokens: string[] = [];
      let token = '';
      let quote: string | undefined;
      let end = line.length;
      for (let i = start; i < line.length; i++) {
        const c = line[i]!;
        if (quote) {
          if (c === quote) quote = undefined;
          token += c;
        } else if (c === '"' || c === "'") {
          quote = c;
          token += c;
        } else if ('|;&)>#'.includes(c) || (c === '2' && line[i + 1] === '>')) {
          end = i;
          break;
        } else if (/\s/.test(c)) {
          if (token) tokens.push(token);
          token = '';
        } else token += c;
      }
      if (token) tokens.push(token);
      const firstNonWord = tokens.findIndex((t) => !/^[a-z][a-z0-9-]*$/.test(t));
      const command = commandOf(firstNonWord === -1 ? tokens : tokens.slice(0, firstNonWord));
      found.push({ command, flags: tokens.filter((t) => /^--?[a-z][a-z-]*$/.test(t)), text: `az ${line.slice(start, end).trim()}` });
    }
  }
  return found;
}

/** The longest leading words that name a known command (`eventgrid system-topic event-subscription create`), else all of them. */
function commandOf(words: string[]): string {
  for (let n = words.length; n > 0; n--) {
    const candidate = words.slice(0, n).join(' ');
    if (VERIFIED_AZ_COMMANDS[candidate]) return candidate;
  }
  return words.join(' ');
}

/** What in these invocations is not a verified command or flag, one line each. */
export function unverified(invocations: AzInvocation[]): string[] {
  return invocations.flatMap(({ command, flags, text }) => {
    const own = VERIFIED_AZ_COMMANDS[command];
    if (!own) return [`az ${command}: not a verified command (${text})`];
    return flags.filter((flag) => !own.includes(flag) && !GLOBAL_FLAGS.includes(flag)).map((flag) => `az ${command} ${flag}: not a verified flag (${text})`);
  });
}
