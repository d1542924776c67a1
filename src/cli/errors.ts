/**
 * The errors the CLI turns into a one-line message and exit code 2. They live apart from the
 * modules that throw them so `main` can recognise them without loading those modules (and
 * their dependencies) for commands that never use them.
 */

/** A bad flag value, an unknown name, a file that is not there: the user's command is wrong. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The config file cannot be read, parsed or validated. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
