/**
 * `assay completion <shell>`: a completion script for bash, zsh, fish or PowerShell, generated
 * from the commander program itself, so every command and option is offered as soon as it is
 * registered. Each script finds the command path from the words typed so far (a word counts
 * when it names a subcommand of the path so far), then offers that command's subcommands, or its
 * options after `-`; after an option that takes a value, and where nothing else applies, the
 * shell completes file names.
 */
import { Argument, type Command } from 'commander';
import { UsageError } from './select-checks.ts';

export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];

export interface CompletionOption {
  /** `-f`, `--format`: the spellings, short first. */
  flags: string[];
  description: string;
  /** Whether the option reads the next word as its value. */
  takesValue: boolean;
  /** The values it accepts, when commander knows them. */
  choices: string[];
}

export interface CompletionCommand {
  /** Words after `assay`, e.g. `['innersource', 'fetch-github']`; empty for `assay` itself. */
  path: string[];
  description: string;
  options: CompletionOption[];
  commands: CompletionCommand[];
  /** The values the command's first argument accepts, when commander knows them (offered like subcommands). */
  argumentChoices: string[];
}

/** Names written into the scripts unquoted: a command or flag spelling, nothing a shell reads specially. */
const WORD = /^-{0,2}[A-Za-z0-9][A-Za-z0-9-]*$/;

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}

/** The command tree: visible commands, their options (hidden ones left out) and `-h, --help`. */
export function commandTree(command: Command, path: string[] = []): CompletionCommand {
  const options: CompletionOption[] = [];
  for (const option of command.options) {
    if (option.hidden) continue;
    const flags = [option.short, option.long].filter((f): f is string => f !== undefined && WORD.test(f));
    if (flags.length === 0) continue;
    options.push({
      flags,
      description: firstLine(option.description),
      takesValue: option.required || option.optional,
      choices: (option.argChoices ?? []).filter((c) => WORD.test(c)),
    });
  }
  options.push({
    flags: ['-h', '--help'],
    description: 'display help for command',
    takesValue: false,
    choices: [],
  });
  const commands = command.commands
    .filter((c) => WORD.test(c.name()) && !(c as unknown as { _hidden?: boolean })._hidden)
    .map((c) => commandTree(c, [...path, c.name()]));
  const argumentChoices = (command.registeredArguments[0]?.argChoices ?? []).filter((c) => WORD.test(c));
  return { path, description: firstLine(command.description()), options, commands, argumentChoices };
}

function flatten(node: CompletionCommand): CompletionCommand[] {
  return [node, ...node.commands.flatMap(flatten)];
}

const key = (node: CompletionCommand): string => node.path.join(' ');

/** Single-quoted for bash and zsh: `'` becomes `'\''`. */
function shQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** Single-quoted for fish, where `\` and `'` are escaped with a backslash. */
function fishQuote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** Single-quoted for PowerShell, where `'` is doubled. */
function psQuote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** The `case` arms that step into a subcommand: `'|scan'`, `'innersource|fetch-github'`. */
function stepPatterns(nodes: CompletionCommand[]): string[] {
  return nodes.flatMap((n) => n.commands.map((c) => shQuote(`${key(n)}|${c.path.at(-1)}`)));
}

function valueFlags(node: CompletionCommand): string[] {
  return node.options.filter((o) => o.takesValue).flatMap((o) => o.flags);
}

/**
 * The bash and zsh body shared by both: walk the typed words into `cmdpath`, then set the
 * command's completions from its `case` arm.
 */
function walk(nodes: CompletionCommand[], arms: string[], loop: string, word: string): string {
  return `  for ((${loop})); do
    word="\${${word}}"
    case "$cmdpath|$word" in
      ${stepPatterns(nodes).join('|')})
        cmdpath="\${cmdpath:+$cmdpath }$word" ;;
    esac
  done
  case "$cmdpath" in
${arms.join('\n')}
  esac
`;
}

function bash(root: CompletionCommand): string {
  const nodes = flatten(root);
  const arms = nodes.map((n) => {
    const lines = [
      `    ${shQuote(key(n))})`,
      `      commands=${shQuote([...n.commands.map((c) => c.path.at(-1)), ...n.argumentChoices].join(' '))}`,
      `      options=${shQuote(n.options.flatMap((o) => o.flags).join(' '))}`,
      `      values=${shQuote(` ${valueFlags(n).join(' ')} `)}`,
    ];
    for (const o of n.options.filter((x) => x.choices.length > 0))
      for (const f of o.flags)
        lines.push(`      [[ "$prev" == ${f} ]] && choices=${shQuote(o.choices.join(' '))}`);
    return `${lines.join('\n')}\n      ;;`;
  });
  return `# assay completion for bash. Load it now with: source <(assay completion bash)
# or save it as ~/.local/share/bash-completion/completions/assay
_assay() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local cmdpath="" word i commands="" options="" values="" choices=""
${walk(nodes, arms, 'i = 1; i < COMP_CWORD; i++', 'COMP_WORDS[i]')}  COMPREPLY=()
  if [[ -n "$choices" ]]; then
    COMPREPLY=($(compgen -W "$choices" -- "$cur"))
  elif [[ "$values" == *" $prev "* ]]; then
    return 0 # an option's value: the default (file names) completes it
  elif [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  elif [[ -n "$commands" ]]; then
    COMPREPLY=($(compgen -W "$commands" -- "$cur"))
  fi
}
complete -o default -F _assay assay
`;
}

function zsh(root: CompletionCommand): string {
  const nodes = flatten(root);
  const described = (name: string, description: string) => shQuote(`${name}:${description}`);
  const arms = nodes.map((n) => {
    const commands = [
      ...n.commands.map((c) => described(c.path.at(-1) ?? '', c.description)),
      ...n.argumentChoices.map((a) => described(a, a)),
    ];
    const options = n.options.flatMap((o) => o.flags.map((f) => described(f, o.description)));
    const lines = [
      `    ${shQuote(key(n))})`,
      `      commands=(${commands.join(' ')})`,
      `      options=(${options.join(' ')})`,
      `      values=${shQuote(` ${valueFlags(n).join(' ')} `)}`,
    ];
    for (const o of n.options.filter((x) => x.choices.length > 0))
      for (const f of o.flags)
        lines.push(`      [[ "$prev" == ${f} ]] && choices=(${o.choices.map((c) => shQuote(c)).join(' ')})`);
    return `${lines.join('\n')}\n      ;;`;
  });
  return `#compdef assay
# assay completion for zsh. Save it as _assay in a folder on $fpath,
# or load it now (after compinit) with: source <(assay completion zsh)
_assay() {
  local cmdpath="" word i values="" prev="\${words[CURRENT-1]}"
  local -a commands options choices
${walk(nodes, arms, 'i = 2; i < CURRENT; i++', 'words[i]')}  if (( \${#choices} )); then
    compadd -a choices
  elif [[ "$values" == *" $prev "* ]]; then
    _files
  elif [[ "\${words[CURRENT]}" == -* ]]; then
    _describe -t options option options
  elif (( \${#commands} )); then
    _describe -t commands command commands
  else
    _files
  fi
}
if [[ "\${funcstack[1]}" == _assay ]]; then _assay "$@"; else compdef _assay assay; fi
`;
}

function fish(root: CompletionCommand): string {
  const nodes = flatten(root);
  const steps = nodes.flatMap((n) => n.commands.map((c) => fishQuote(`${key(n)}|${c.path.at(-1)}`)));
  const lines: string[] = [];
  for (const n of nodes) {
    const when = `-n ${fishQuote(`__assay_is ${fishQuote(key(n))}`)}`;
    for (const c of n.commands)
      lines.push(`complete -c assay ${when} -f -a ${c.path.at(-1)} -d ${fishQuote(c.description)}`);
    for (const a of n.argumentChoices) lines.push(`complete -c assay ${when} -f -a ${a}`);
    for (const o of n.options) {
      const spelt = o.flags.map((f) => (f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`));
      const value = o.takesValue ? ' -r' : '';
      const choices = o.choices.length > 0 ? ` -x -a ${fishQuote(o.choices.join(' '))}` : '';
      lines.push(
        `complete -c assay ${when} ${spelt.join(' ')}${value}${choices} -d ${fishQuote(o.description)}`,
      );
    }
  }
  return `# assay completion for fish. Save it as ~/.config/fish/completions/assay.fish
# or load it now with: assay completion fish | source
function __assay_is --description 'whether the assay command typed so far is $argv[1]'
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l cmdpath ''
    for word in $tokens
        switch "$cmdpath|$word"
            case ${steps.join(' ')}
                set cmdpath (string trim -- "$cmdpath $word")
        end
    end
    test "$cmdpath" = "$argv[1]"
end
complete -c assay -e
${lines.join('\n')}
`;
}

function powershell(root: CompletionCommand): string {
  const entries = flatten(root).map((n) => {
    const pairs = (items: [string, string][]) =>
      // `,@(a, b)` as a statement emits the pair as one item, so even a single pair stays a pair.
      `@(${items.map(([name, d]) => `,@(${psQuote(name)}, ${psQuote(d || name)})`).join('; ')})`;
    const commands = pairs([
      ...n.commands.map((c): [string, string] => [c.path.at(-1) ?? '', c.description]),
      ...n.argumentChoices.map((a): [string, string] => [a, a]),
    ]);
    const options = pairs(n.options.flatMap((o) => o.flags.map((f): [string, string] => [f, o.description])));
    return `    ${psQuote(key(n))} = @{ commands = ${commands}; options = ${options}; values = @(${valueFlags(
      n,
    )
      .map(psQuote)
      .join(', ')}) }`;
  });
  return `# assay completion for PowerShell. Load it now with:
#   assay completion powershell | Out-String | Invoke-Expression
# or add that line to your $PROFILE.
Register-ArgumentCompleter -Native -CommandName assay -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $tree = @{
${entries.join('\n')}
  }
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 |
    Where-Object { $_.Extent.EndOffset -lt $cursorPosition } | ForEach-Object { $_.ToString() })
  $cmdpath = ''
  foreach ($word in $words) {
    $next = if ($cmdpath) { "$cmdpath $word" } else { $word }
    if ($tree.ContainsKey($next)) { $cmdpath = $next }
  }
  $node = $tree[$cmdpath]
  if ($words.Count -gt 0 -and $node.values -contains $words[-1]) { return }
  $items = if ($wordToComplete -like '-*') { $node.options } else { $node.commands }
  foreach ($item in $items) {
    if ($item[0] -like "$wordToComplete*") {
      [System.Management.Automation.CompletionResult]::new($item[0], $item[0], 'ParameterValue', $item[1])
    }
  }
}
`;
}

const RENDER: Record<Shell, (root: CompletionCommand) => string> = { bash, zsh, fish, powershell };

/** The completion script for `shell`, from the program's commands and options. */
export function completionScript(program: Command, shell: string): string {
  if (!(SHELLS as readonly string[]).includes(shell))
    throw new UsageError(`completion: unknown shell '${shell}'; expected one of ${SHELLS.join(', ')}`);
  return RENDER[shell as Shell](commandTree(program));
}

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description(`print a shell completion script: ${SHELLS.join(', ')} (docs/integrations.md)`)
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .action(async (shell: string) => {
      // This run registered only `completion` (main.ts loads the command a run names): build the whole tree.
      const { buildProgram } = await import('./main.ts');
      process.stdout.write(completionScript(await buildProgram(), shell));
    });
}
