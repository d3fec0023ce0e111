/**
 * `npm run docs:config`: writes docs/configuration.md from config/default.yaml (src/config/reference.ts).
 * test/config/reference.test.ts fails when the two disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { configReferenceMarkdown } from '../src/config/reference.js';

const text = configReferenceMarkdown(readFileSync('config/default.yaml', 'utf8'));
writeFileSync('docs/configuration.md', text);
process.stdout.write(`wrote docs/configuration.md (${text.split('\n').length} lines)\n`);
