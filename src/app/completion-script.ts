/**
 * Shell completion scripts for bash, zsh and fish, generated from the command manifest: command
 * and subcommand names, each command's flags, the values of flags that take one of a list, and
 * file names where a command or flag takes a file. The scripts are static (no call back into
 * ptexec on every Tab), so completing costs nothing.
 */

export interface CompletionFlag {
  name: string;
  char?: string;
  description: string;
  /** Undefined for a boolean flag. */
  value?: { options?: readonly string[]; file: boolean };
}

export interface CompletionCommand {
  /** Words as typed: `runs show`. */
  id: string;
  summary: string;
  flags: CompletionFlag[];
  /** A positional argument that is a file (completed with file names). */
  takesFile: boolean;
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** A command as the oclif manifest describes it (the fields completion needs). */
export interface ManifestCommand {
  id: string;
  aliases: string[];
  hidden?: boolean;
  summary?: string;
  description?: string;
  args: Record<string, unknown>;
  flags: Record<string, { char?: string; hidden?: boolean; summary?: string; description?: string; type: string; options?: readonly string[]; helpValue?: string | string[] }>;
}

/** Every visible command and alias of the manifest, as words; a flag whose value is a FILE or PATH completes file names. */
export function completionCommands(manifest: ManifestCommand[]): CompletionCommand[] {
  return manifest
    .filter((c) => !c.hidden)
    .flatMap((c) =>
      [c.id, ...c.aliases].map((id) => ({
        id: id.replaceAll(':', ' '),
        summary: c.summary ?? c.description ?? '',
        takesFile: Object.keys(c.args).includes('file'),
        flags: Object.entries(c.flags)
          .filter(([, f]) => !f.hidden)
          .map(([name, f]) => ({
            name,
            char: f.char,
            description: f.summary ?? f.description ?? '',
            value: f.type === 'option' ? { options: f.options, file: f.helpValue === 'FILE' || f.helpValue === 'PATH' } : undefined,
          })),
      })),
    );
}

/** `topics`: descriptions of the words that group commands (`runs`, `paper`), shown beside them. */
export function completionScript(shell: Shell, commands: CompletionCommand[], topics: Record<string, string> = {}, bin = 'ptexec'): string {
  const model = new Model(commands, topics);
  return shell === 'bash' ? bashScript(model, bin) : shell === 'zsh' ? zshScript(model, bin) : fishScript(model, bin);
}

class Model {
  readonly byId = new Map<string, CompletionCommand>();
  constructor(
    readonly commands: CompletionCommand[],
    private readonly topics: Record<string, string>,
  ) {
    for (const c of commands) this.byId.set(c.id, c);
  }

  /** The command paths that have children: '' (the top level) and topics such as 'runs'. */
  parents(): string[] {
    const parents = new Set<string>(['']);
    for (const c of this.commands) {
      const words = c.id.split(' ');
      for (let n = 1; n < words.length; n++) parents.add(words.slice(0, n).join(' '));
    }
    return [...parents].sort();
  }

  /** The next words after `parent`, with a description (a command's summary, else its topic's). */
  children(parent: string): { word: string; description: string }[] {
    const depth = parent === '' ? 0 : parent.split(' ').length;
    const seen = new Map<string, string>();
    for (const c of this.commands) {
      if (parent !== '' && !c.id.startsWith(`${parent} `)) continue;
      const words = c.id.split(' ');
      if (words.length <= depth) continue;
      const word = words[depth]!;
      const path = words.slice(0, depth + 1).join(' ');
      if (!seen.has(word)) seen.set(word, this.byId.get(path)?.summary ?? this.topics[path] ?? `${path} commands`);
    }
    return [...seen].sort(([a], [b]) => a.localeCompare(b)).map(([word, description]) => ({ word, description }));
  }
}

const names = (f: CompletionFlag) => [`--${f.name}`, ...(f.char ? [`-${f.char}`] : [])];
const sq = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const oneLine = (text: string) => text.split('\n')[0]!.trim();

function bashScript(model: Model, bin: string): string {
  const fn = `_${bin}`;
  const children = model.parents().map((p) => `    ${sq(p)}) echo ${sq(model.children(p).map((c) => c.word).join(' '))} ;;`);
  const flags = model.commands.map((c) => `    ${sq(c.id)}) echo ${sq(c.flags.flatMap(names).join(' '))} ;;`);
  const values: string[] = [];
  const files = new Set<string>();
  for (const c of model.commands) {
    for (const f of c.flags) {
      if (!f.value) continue;
      const patterns = names(f).map((n) => sq(`${c.id} ${n}`)).join('|');
      if (f.value.options) values.push(`    ${patterns}) echo ${sq(f.value.options.join(' '))} ;;`);
      else if (f.value.file) values.push(`    ${patterns}) return 1 ;;`);
      else values.push(`    ${patterns}) return 3 ;;`);
    }
    if (c.takesFile) files.add(c.id);
  }
  return `# ${bin} completion for bash. Load it in ~/.bashrc:
#   source <(${bin} completion bash)
${fn}_children() {
  case "$1" in
${children.join('\n')}
  esac
}
${fn}_flags() {
  case "$1" in
${flags.join('\n')}
  esac
}
# The values of "COMMAND FLAG": printed (a list), return 1 (file names), 3 (anything), 2 (no value).
${fn}_values() {
  case "$1 $2" in
${values.join('\n')}
    *) return 2 ;;
  esac
}
${fn}_takes_file() {
  case "$1" in
    ${[...files].map(sq).join('|') || "''"}) return 0 ;;
  esac
  return 1
}
${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} cmd='' word i
  # --flag=value: bash splits at "=", so the flag is the word before it.
  if [[ $cur == '=' ]]; then cur=''; elif [[ $prev == '=' ]]; then prev=\${COMP_WORDS[COMP_CWORD-2]}; fi
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    [[ $word == -* ]] && break
    case " $(${fn}_children "$cmd") " in
      *" $word "*) cmd=\${cmd:+$cmd }$word ;;
      *) break ;;
    esac
  done
  COMPREPLY=()
  if [[ $prev == -* ]]; then
    local values
    values=$(${fn}_values "$cmd" "$prev")
    case $? in
      0) mapfile -t COMPREPLY < <(compgen -W "$values" -- "$cur"); return ;;
      1) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
      3) return ;;
    esac
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(${fn}_flags "$cmd")" -- "$cur")
    return
  fi
  mapfile -t COMPREPLY < <(compgen -W "$(${fn}_children "$cmd")" -- "$cur")
  if ${fn}_takes_file "$cmd"; then mapfile -t -O "\${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur"); fi
}
complete -o filenames -F ${fn} ${bin}
`;
}

function zshScript(model: Model, bin: string): string {
  const fn = `_${bin}`;
  const describe = (items: { word: string; description: string }[]) => items.map((i) => sq(`${i.word.replace(/:/g, '\\:')}:${oneLine(i.description)}`)).join(' ');
  const children = model.parents().map((p) => `    ${sq(p)}) subs=(${describe(model.children(p))}) ;;`);
  const flags = model.commands.map((c) => `    ${sq(c.id)}) flags=(${describe(c.flags.flatMap((f) => names(f).map((n) => ({ word: n, description: oneLine(f.description) }))))}) ;;`);
  const values: string[] = [];
  for (const c of model.commands) {
    for (const f of c.flags) {
      if (!f.value) continue;
      const patterns = names(f).map((n) => sq(`${c.id} ${n}`)).join('|');
      if (f.value.options) values.push(`      ${patterns}) compadd -- ${f.value.options.map(sq).join(' ')}; return ;;`);
      else if (f.value.file) values.push(`      ${patterns}) _files; return ;;`);
      else values.push(`      ${patterns}) return ;;`);
    }
  }
  const files = model.commands.filter((c) => c.takesFile).map((c) => sq(c.id));
  return `#compdef ${bin}
# ${bin} completion for zsh. Load it in ~/.zshrc (after compinit):
#   source <(${bin} completion zsh)
# or save it as _${bin} in a folder of $fpath.
${fn}() {
  local cmd='' word i
  local -a subs flags
  for ((i = 2; i < CURRENT; i++)); do
    word=\${words[i]}
    [[ $word == -* ]] && break
    ${fn}_children "$cmd"
    if (( \${subs[(I)\${word}:*]} )); then cmd=\${cmd:+$cmd }$word; else break; fi
  done
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]}
  if [[ $prev == -* ]]; then
    case "$cmd $prev" in
${values.join('\n')}
    esac
  fi
  if [[ $cur == -* ]]; then
    ${fn}_flags "$cmd"
    _describe -t flags 'flag' flags
    return
  fi
  ${fn}_children "$cmd"
  (( \${#subs} )) && _describe -t commands '${bin} command' subs
  case "$cmd" in
    ${files.join('|') || "''"}) _files ;;
  esac
}
${fn}_children() {
  subs=()
  case "$1" in
${children.join('\n')}
  esac
}
${fn}_flags() {
  flags=()
  case "$1" in
${flags.join('\n')}
  esac
}
if [[ $funcstack[1] == ${fn} ]]; then ${fn} "$@"; else compdef ${fn} ${bin}; fi
`;
}

function fishScript(model: Model, bin: string): string {
  const fn = `__${bin}`;
  const lines: string[] = [];
  for (const parent of model.parents()) {
    for (const child of model.children(parent)) {
      lines.push(`complete -c ${bin} -n ${sq(`test (${fn}_command) = ${sq(parent)}`)} -a ${sq(child.word)} -d ${sq(oneLine(child.description))}`);
    }
  }
  for (const c of model.commands) {
    const when = `-n ${sq(`test (${fn}_command) = ${sq(c.id)}`)}`;
    for (const f of c.flags) {
      const value = !f.value ? '' : f.value.options ? ` -x -a ${sq(f.value.options.join(' '))}` : f.value.file ? ' -r -F' : ' -x';
      lines.push(`complete -c ${bin} ${when} -l ${f.name}${f.char ? ` -s ${f.char}` : ''}${value} -d ${sq(oneLine(f.description))}`);
    }
    if (c.takesFile) lines.push(`complete -c ${bin} ${when} -F`);
  }
  const parents = model.parents().filter((p) => p !== '');
  return `# ${bin} completion for fish. Save it where fish finds it:
#   ${bin} completion fish > ~/.config/fish/completions/${bin}.fish
complete -c ${bin} -f
# The command typed so far ('' before the first word), e.g. 'runs show'.
function ${fn}_command
    set -l words (commandline -opc)
    set -l cmd ''
    for word in $words[2..-1]
        string match -q -- '-*' $word; and break
        set -l next (string trim -- "$cmd $word")
        if contains -- $next ${model.commands.map((c) => sq(c.id)).join(' ')} ${parents.map(sq).join(' ')}
            set cmd $next
        else
            break
        end
    end
    echo $cmd
end
${lines.join('\n')}
`;
}
