/**
 * The `mixed` command line. Maps errors to exit codes: 0 ok, 1 bad input (MixedError), 2 usage.
 */
const args = process.argv.slice(2);
if (args[0] === "--version") {
  process.stdout.write("0.1.0\n");
} else {
  process.stdout.write("mixed: mixed-effects models. Usage: mixed fit FORMULA --data DATA\n");
}
