/**
 * mixedmodels/plot: figures of data and fitted models as SVG strings (and, from the CLI, PNG).
 * A separate entry so that a user who never plots never loads the plotting library.
 */
export {};
