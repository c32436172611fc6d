// Compiles DataCreditsToken.sol with the pinned npm solc (standard-JSON, shanghai, optimizer on)
// and writes the ABI + creation bytecode artifact next to it.
// Usage: node compile.mjs            -> writes DataCreditsToken.json
//        node compile.mjs --stdout   -> prints the artifact instead (used by the consistency test)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../../tools/node/package.json'));
const solc = require('solc');

const sourceName = 'DataCreditsToken.sol';
const input = {
  language: 'Solidity',
  sources: { [sourceName]: { content: readFileSync(join(here, sourceName), 'utf8') } },
  settings: {
    evmVersion: 'shanghai',
    optimizer: { enabled: true, runs: 200 },
    metadata: { bytecodeHash: 'none' },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};

const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}

const contract = output.contracts[sourceName].DataCreditsToken;
const artifact = {
  contractName: 'DataCreditsToken',
  compiler: `solc ${solc.version()}`,
  evmVersion: input.settings.evmVersion,
  optimizer: input.settings.optimizer,
  abi: contract.abi,
  bytecode: '0x' + contract.evm.bytecode.object,
  deployedBytecode: '0x' + contract.evm.deployedBytecode.object,
};
const text = JSON.stringify(artifact, null, 2) + '\n';
if (process.argv.includes('--stdout')) {
  process.stdout.write(text);
} else {
  writeFileSync(join(here, 'DataCreditsToken.json'), text);
}
