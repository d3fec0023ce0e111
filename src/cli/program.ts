/**
 * The `seamount` command line: one sub-command per file in this folder. `main` returns the exit code
 * (0 ok, 1 failed, 2 usage) instead of exiting, so tests can drive it.
 */
import '../engine/quiet.js';
import { Command, CommanderError } from 'commander';
import { registerBaseline } from './baseline.js';
import { setInvocation } from './common.js';
import { registerCompare } from './compare.js';
import { registerDetect } from './detect.js';
import { registerInfo } from './info.js';
import { registerMerge } from './merge.js';
import { registerRun } from './run.js';
import { registerTrain } from './train.js';
import { versionText } from './version.js';

/** The `seamount` program with every command registered (commander; exits are thrown, not taken). */
export function buildProgram(): Command {
  const program = new Command('seamount')
    .description('Find seamounts in gridded bathymetry with an autoencoder trained on seamount patches (Valentine et al. 2013)')
    .showHelpAfterError()
    .exitOverride();
  program.version(versionText(), '-V, --version', 'print the version, the default model bundle and the engine');
  registerDetect(program);
  registerTrain(program);
  registerCompare(program);
  registerBaseline(program);
  registerRun(program);
  registerMerge(program);
  registerInfo(program);
  return program;
}

/**
 * Runs the command line `argv` and returns the exit code: 0 done, 1 failed (the message on stderr), 2 a
 * usage error.
 *
 * @example process.exit(await main(process.argv));
 */
export async function main(argv: string[]): Promise<number> {
  setInvocation(argv);
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`seamount: error: ${message}\n`);
    if (process.env.SEAMOUNT_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
