import { Command, CommanderError, Option } from 'commander';
import { STRATA_VERSION } from '../core/artifacts/artifact-metadata.js';
import { isUserError } from '../core/errors/user-error.js';
import type { DocsServeOptions } from './commands/docs-serve.js';
import { addCommonOptions, addSelectOptions, addStateOptions, type CommonOptions } from './options.js';
import { Logger } from './output/logger.js';
import type { Session } from './session.js';

// Each command's module (and what it needs: the project loader, adapters, drivers) is imported
// when the command runs, so `--version`, `--help` and every command load only their own code.
const commands = {
  build: () => import('./commands/build.js'),
  clean: () => import('./commands/clean.js'),
  init: () => import('./commands/init.js'),
  clone: () => import('./commands/clone.js'),
  compile: () => import('./commands/compile.js'),
  convert: () => import('./commands/convert.js'),
  debug: () => import('./commands/debug.js'),
  docs: () => import('./commands/docs.js'),
  docsServe: () => import('./commands/docs-serve.js'),
  extract: () => import('./commands/extract.js'),
  generate: () => import('./commands/generate.js'),
  ls: () => import('./commands/ls.js'),
  parse: () => import('./commands/parse.js'),
  retry: () => import('./commands/retry.js'),
  runOperation: () => import('./commands/run-operation.js'),
  show: () => import('./commands/show.js'),
  sourceFreshness: () => import('./commands/source-freshness.js'),
};

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], stdout: NodeJS.WriteStream = process.stdout): Promise<number> {
  let exitCode = 0;
  let logger = new Logger('text', stdout);
  const program = new Command('strata')
    .description('Strata: build, test and document a dbt-style SQL project')
    .version(STRATA_VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => process.stderr.write(s) })
    .showSuggestionAfterError(true);

  const withSession = (action: (session: Session, options: Record<string, unknown>) => Promise<number>, banner = true, connectEarly: boolean | 'unless-empty' = false) => async (options: CommonOptions & Record<string, unknown>) => {
    // ls prints only its result on stdout, so its output can be piped; its warnings go to stderr.
    logger = new Logger(options.logFormat ?? 'text', stdout, Boolean(options.debug), banner ? stdout : process.stderr);
    logger.quiet = Boolean(options.quiet) && !options.debug;
    if (banner) logger.info(`Running with strata=${STRATA_VERSION}`, 'main_start');
    const { openSession } = await import('./session.js');
    const session = await openSession(options, logger, connectEarly);
    try {
      exitCode = await action(session, options);
    } finally {
      await session.close();
    }
    // dbt's --warn-error: a command that warned did not succeed (tests that would warn already failed).
    if (options.warnError && logger.warnings > 0 && exitCode === 0) {
      logger.error(`--warn-error: ${logger.warnings} warning${logger.warnings === 1 ? '' : 's'} above, treated as error${logger.warnings === 1 ? '' : 's'}`, 'warn_error');
      exitCode = 2;
    }
  };
  const command = (name: string, description: string, select = true) => {
    const cmd = addCommonOptions(program.command(name).description(description));
    // Every selecting command takes --state (state: selection); those that build also take --defer.
    return select ? addStateOptions(addSelectOptions(cmd), !['ls', 'clone'].includes(name)) : cmd;
  };

  command('parse', 'parse the project and write target/manifest.json', false).action(withSession(async (s) => (await commands.parse()).runParse(s)));
  command('compile', 'render models to SQL in target/compiled/; prints the SQL of the nodes --select names')
    .option('--inline <sql>', 'SQL to compile and print instead of the project (may use ref, source and macros)')
    .option('--empty', 'render every ref and source as a select of no rows')
    .addOption(new Option('--output <format>', 'how the printed SQL is shown').choices(['text', 'json']).default('text'))
    .action(withSession(async (s, o) => (await commands.compile()).runCompile(s, o), true, 'unless-empty'));
  command('run', 'build the selected models')
    .option('--full-refresh', 'rebuild incremental models from scratch')
    .option('--empty', 'refs and sources read no rows: models are built with their columns and no data (a dry run of the SQL)')
    .option('-x, --fail-fast', 'stop at the first failure')
    .action(withSession(async (s, o) => (await commands.build()).runBuild(s, o, ['model'], 'run'), true, true));
  command('seed', 'load the CSV files in seeds/ into tables')
    .option('--full-refresh', 'drop and recreate seed tables')
    .option('-x, --fail-fast', 'stop at the first failure')
    .action(withSession(async (s, o) => (await commands.build()).runBuild(s, o, ['seed'], 'seed'), true, true));
  command('test', 'run data tests on the selected nodes')
    .option('-x, --fail-fast', 'stop at the first failure')
    .option('--store-failures', 'keep the failing rows of tests that do not set store_failures, in the audit schema')
    .action(withSession(async (s, o) => (await commands.build()).runBuild(s, o, ['test', 'unit_test'], 'test'), true, true));
  command('snapshot', 'record changes of the selected snapshots (type-2 history tables)')
    .option('-x, --fail-fast', 'stop at the first failure')
    .action(withSession(async (s, o) => (await commands.build()).runBuild(s, o, ['snapshot'], 'snapshot'), true, true));
  command('build', 'load seeds, snapshot, build models and test them, in DAG order')
    .option('--full-refresh', 'rebuild incremental models and seeds from scratch (snapshots are never rebuilt)')
    .option('-x, --fail-fast', 'stop at the first failure')
    .option('--store-failures', 'keep the failing rows of tests that do not set store_failures, in the audit schema')
    .option('--empty', 'refs and sources read no rows: models are built with their columns and no data, tests run on them; snapshots are left out')
    .option('--resource-type <type...>', 'only these resource types (seed, snapshot, model, test, unit_test)')
    .option('--exclude-resource-type <type...>', 'all resource types but these')
    .action(withSession(async (s, o) => (await commands.build()).runBuild(s, o, ['seed', 'snapshot', 'model', 'test', 'unit_test'], 'build'), true, true));
  command('clone', 'create the selected relations in this target as clones (or views) of the --state relations')
    .option('--full-refresh', 'recreate relations this target already has')
    .action(withSession(async (s, o) => (await commands.clone()).runClone(s, o), true, true));
  addCommonOptions(program.command('retry').description('rerun the nodes of the last run that errored, failed or were skipped, with its flags')).action(
    async (options: CommonOptions) => {
      const { planRetry, runRetry } = await commands.retry();
      const plan = planRetry(options);
      await withSession((s) => runRetry(s, plan), true, true)(plan.options as CommonOptions & Record<string, unknown>);
    },
  );
  command('extract', 'land the selected sources (their loader: blocks) in the lake and load them into the warehouse')
    .option('--full-refresh', 'extract every row again; the new load replaces the ones before it')
    .option('-x, --fail-fast', 'stop at the first failure')
    .action(withSession(async (s, o) => (await commands.extract()).runExtractCommand(s, o), true, true));
  command('run-operation', 'run a macro on the target: its SQL, rendered with --args', false)
    .argument('<macro>', 'the macro: a partial (macros/NAME.sql) or a JS helper')
    .option('--args <yaml>', "the macro's named arguments, as a YAML or JSON mapping", '{}')
    .action(async (macro: string, options: CommonOptions & Record<string, unknown>) =>
      withSession(async (s, o) => (await commands.runOperation()).runOperation(s, macro, o), true, true)(options),
    );
  command('ls', 'list the selected resources')
    .alias('list')
    .option('--output <format>', 'name, path, json or selector', 'selector')
    .option('--resource-type <type...>', 'only these resource types (model, seed, source, test, unit_test, snapshot, exposure; default or all: every one)')
    .option('--output-keys <key...>', 'with --output json: only these keys of each node (any key the manifest has)')
    .action(withSession(async (s, o) => (await commands.ls()).runLs(s, o), false));
  command('show', 'preview the rows of a model or an inline query')
    .option('--inline <sql>', 'SQL to run instead of a model (may use ref and source)')
    .option('--limit <n>', 'how many rows (-1: all of them)', '5')
    .option('--output <format>', 'text or json', 'text')
    .action(withSession(async (s, o) => (await commands.show()).runShow(s, o), true, true));
  command('debug', 'check the project and the connection', false).action(withSession(async (s) => (await commands.debug()).runDebug(s)));
  const docs = program.command('docs').description('the documentation site: lineage graph, column lineage, a page per node');
  addCommonOptions(docs.command('generate').description('write the static docs site to target/docs/ and the warehouse catalog to target/catalog.json'))
    .option('--no-compile', 'do not compile the project first (pages show no compiled SQL or column lineage)')
    .option('--empty-catalog', 'do not read columns and types from the warehouse')
    .action(withSession(async (s, o) => (await commands.docs()).runDocsGenerate(s, o), true, true));
  docs
    .command('serve')
    .description('serve target/docs/ on http://127.0.0.1:PORT until stopped (Ctrl-C)')
    .option('--port <n>', 'port to listen on (0: any free port)', '8080')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--no-browser', "accepted as in dbt; strata never opens a browser itself")
    .option('--project-dir <dir>', 'the project folder')
    .action(async (options: DocsServeOptions) => {
      exitCode = await (await commands.docsServe()).runDocsServe(options, logger);
    });
  const source = program.command('source').description('commands about sources');
  addSelectOptions(addCommonOptions(source.command('freshness').description('check how recently the selected sources were loaded; writes target/sources.json')))
    .option('-o, --output <path>', 'where to write the results (default: target/sources.json)')
    .action(withSession(async (s, o) => (await commands.sourceFreshness()).runSourceFreshness(s, o), true, true));
  program
    .command('generate')
    .description("land the synthetic shop's raw data (four sources) and its ground truth in the project's lake")
    .option('--project-dir <dir>', 'the project folder')
    .option('--scale <n>', "size: 1 (the default) is about 10,000 customers and 100,000 orders; with --if-missing or a later --day, the lake's scale")
    .option('--seed <n>', "the random seed: 42, or with --if-missing or a later --day, the lake's seed")
    .option('--day <k>', 'land the loads up to day k (day 1 is the history; each later day adds one daily load)', '1')
    .option('--if-missing', 'do nothing when the lake already holds loads of this seed and scale')
    .option('--write-rates-seed', 'only (re)write the exchange-rate seed, seeds/exchange_rates.csv')
    .option('-d, --debug', 'show stack traces')
    .action(async (options: Record<string, string | boolean | undefined>) => {
      exitCode = await (await commands.generate()).runGenerate(options, logger);
    });
  program
    .command('init')
    .description('create a new project folder that builds as it is, on the embedded DuckDB target')
    .argument('<name>', 'the project name and its folder (letters, digits, underscores)')
    .action(async (name: string) => {
      exitCode = await (await commands.init()).runInit(name, logger);
    });
  program
    .command('convert')
    .description("rewrite a dbt project's Jinja as Handlebars, in place, and list what needs a hand")
    .option('--project-dir <dir>', 'the project folder')
    .option('--dry-run', 'say what would change, and change nothing')
    .option('-d, --debug', 'show stack traces')
    .action(async (options: { projectDir?: string; dryRun?: boolean }) => {
      exitCode = await (await commands.convert()).runConvert(options, logger);
    });
  program
    .command('clean')
    .description('delete the folders in clean-targets (target/ by default)')
    .option('--project-dir <dir>', 'the project folder')
    .action(async (options: { projectDir?: string }) => {
      exitCode = await (await commands.clean()).runClean(options.projectDir, logger);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isUserError(error)) {
      logger.error(error.format(), 'user_error', { file: error.file, line: error.line, hint: error.hint });
      return 2;
    }
    const debug = argv.includes('--debug') || argv.includes('-d');
    const message = error instanceof Error ? error.message : String(error);
    logger.error(`internal error: ${message}${debug ? '' : ' (run with --debug for the stack trace)'}`, 'internal_error');
    if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
}
