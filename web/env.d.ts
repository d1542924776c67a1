// esbuild bundles the stylesheet that web/main.ts imports; tsc only needs to know such an import is allowed.
declare module '*.css';
