# lme4 on the data of `node --import tsx bench/crossed-slopes.ts --csv FILE` (same models, REML).
#   Rscript bench/lme4/crossed-slopes.R FILE
# For the team's own comparisons only (R and lme4 are never a dependency of the project).
suppressMessages(library(lme4))
file <- commandArgs(trailingOnly = TRUE)[1]
d <- read.csv(file)
d$subj <- factor(d$subj)
d$item <- factor(d$item)
cat(sprintf("lme4 %s, %s; %d rows\n", packageVersion("lme4"), R.version.string, nrow(d)))
for (f in c("y ~ 1 + x + (1 + x | subj) + (1 | item)", "y ~ 1 + x + (1 | subj) + (1 + x | item)",
            "y ~ 1 + x + (1 + x | subj) + (1 + x | item)")) {
  t <- system.time(m <- suppressWarnings(lmer(as.formula(f), d, REML = TRUE)))[["elapsed"]]
  msgs <- m@optinfo$conv$lme4$messages
  cat(sprintf("%-46s fit %.2f s, %d evaluations, REML %.6f%s\n", f, t, m@optinfo$feval, REMLcrit(m),
              if (length(msgs)) paste0(" (", msgs[[1]], ")") else ""))
}
