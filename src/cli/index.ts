#!/usr/bin/env node
/** Entry point of the `seamount` bin. Exits explicitly: worker pools or wasm threads must not keep it alive. */
import { main } from './program.js';

const code = await main(process.argv);
process.exit(code);
