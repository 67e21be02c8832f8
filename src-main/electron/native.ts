/**
 * Development only: loading better-sqlite3 under `npm start` with the Electron binary.
 *
 * node_modules holds ONE build of better-sqlite3, compiled for Node's ABI, because tests, browser
 * mode and the tools run under Node; Electron's ABI differs and refuses it. `npm run electron:fetch`
 * downloads better-sqlite3's Electron prebuild into node_modules/.lavka-electron/ and `npm start`
 * names it in LAVKA_ELECTRON_SQLITE_BINDING; this points the addon load at that file.
 * A packaged app never does this: electron-builder rebuilds better-sqlite3 for Electron (npmRebuild).
 */
export const SQLITE_BINDING_ENV = 'LAVKA_ELECTRON_SQLITE_BINDING';

/** The file `bindings` loads for better-sqlite3 (node-gyp's output). */
const SQLITE_ADDON = /[\\/]better-sqlite3[\\/]build[\\/]Release[\\/]better_sqlite3\.node$/;

type Dlopen = (module: object, filename: string, flags?: number) => void;

/**
 * Wraps `proc.dlopen` (what Node's loader calls for every `.node` file; better-sqlite3 loads its
 * addon on the first `new Database()`) so that better-sqlite3's addon comes from `binding` instead.
 * Every other addon loads as before. Returns the undo.
 */
export function redirectSqliteAddon(proc: { dlopen: Dlopen }, binding: string): () => void {
  const original = proc.dlopen;
  const redirected: Dlopen = function (this: unknown, module, filename, ...flags) {
    return original.call(this, module, SQLITE_ADDON.test(filename) ? binding : filename, ...flags);
  };
  proc.dlopen = redirected;
  return () => {
    if (proc.dlopen === redirected) proc.dlopen = original;
  };
}
