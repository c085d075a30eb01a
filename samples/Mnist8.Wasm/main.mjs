// Runs the program under Node.js: node main.mjs [--no-timing] (from bin/<configuration>/net10.0/wwwroot after a build).
// In a browser, a page would import the same ./_framework/dotnet.js.
import { dotnet } from './_framework/dotnet.js';

await dotnet.withApplicationArguments(...process.argv.slice(2)).run();
