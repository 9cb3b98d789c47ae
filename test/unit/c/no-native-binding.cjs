// Preloaded by wasm-fallback.test.ts: makes tree-sitter's native binding
// unloadable, as on a machine whose glibc lacks GLIBCXX_3.4.31 and that has
// no compiler (the same error shape: the addon fails to dlopen).
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'tree-sitter' || request === 'tree-sitter-c') {
    throw new Error("/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.31' not found (simulated)");
  }
  return load.call(this, request, ...rest);
};
