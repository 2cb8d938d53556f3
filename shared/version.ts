/** The app version, kept in one place (the CLI, the API status and exports report it). */
export const RETRACE_VERSION = '0.1.0';
