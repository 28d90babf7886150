"""Pages of the programs app, one module per area. Views parse, check access, call, render."""
