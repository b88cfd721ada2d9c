// ESLint for the whole repository: the recommended JavaScript and typescript-eslint rules
// (syntax-level, so a lint of the tree stays a few seconds), with prettier owning the layout.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
    {
        ignores: ["**/node_modules/**", "dist/**", "coverage/**", ".pulumi/**", "app/layers/**"],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: {
            ecmaVersion: 2022,
            sourceType: "module",
            globals: { ...globals.node },
        },
        rules: {
            // Unused names are the compiler's job (noUnusedLocals/Parameters); `_` marks the deliberate ones.
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
            ],
            // `new (...args: any[]) => T` is how TypeScript spells "any constructor of T".
            "@typescript-eslint/no-explicit-any": ["error", { ignoreRestArgs: true }],
            eqeqeq: ["error", "always"],
            "no-console": "off",
        },
    },
    {
        // Tests read recorded resource inputs of every shape; `any` there is the point, not a shortcut.
        files: ["test/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
    {
        // CommonJS helpers (the ts-loader, scripts) use require by design.
        files: ["**/*.js", "**/*.cjs"],
        languageOptions: { sourceType: "commonjs" },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
