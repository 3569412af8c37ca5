#!/usr/bin/env node
import { runCli } from './runCli';

// The only place the command line touches the process: its arguments, environment and streams.
void runCli(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});
