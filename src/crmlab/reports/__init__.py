"""Reports: notebook specs and parameters, the runner, version store, HTML export, index and the crmlab command."""
