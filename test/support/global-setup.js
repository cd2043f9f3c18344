/**
 * Refuses, once and clearly, to run the suite against a database whose name does not say
 * "test": the suite truncates every table.
 */
module.exports = async () => {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const name = new URL(url).pathname.slice(1);
  if (!/test/i.test(name)) {
    throw new Error(
      `Refusing to run tests against database "${name}": they empty every table, so its name must contain "test" ` +
        '(createdb capex_test, then DATABASE_URL=postgres://…/capex_test npm test), or unset DATABASE_URL for the embedded database.',
    );
  }
};
