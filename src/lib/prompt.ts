import { createInterface, type Interface } from 'node:readline';

/**
 * Questions on the terminal (prompts on stderr), through one readline interface so that
 * type-ahead is never lost between questions; a hidden answer is not echoed.
 */
export class TerminalPrompt {
  private readonly rl: Interface;
  private muted = false;

  constructor(stdin: NodeJS.ReadableStream, stderr: NodeJS.WritableStream) {
    this.rl = createInterface({ input: stdin, output: stderr, terminal: true });
    const rl = this.rl as unknown as { _writeToOutput: (s: string) => void };
    const write = rl._writeToOutput.bind(rl);
    rl._writeToOutput = (s: string) => {
      if (!this.muted || s.includes('\n')) write(this.muted ? '\n' : s);
    };
  }

  ask(question: string, hidden = false): Promise<string> {
    return new Promise((resolve) => {
      this.rl.question(question, (value) => {
        this.muted = false;
        resolve(value.trim());
      });
      this.muted = hidden;
    });
  }

  close(): void {
    this.rl.close();
  }
}

/** The first non-empty line of piped input (then stops reading it). */
export async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  const rl = createInterface({ input, terminal: false });
  try {
    for await (const line of rl) if (line.trim()) return line.trim();
    return '';
  } finally {
    rl.close();
  }
}
