using DePin.Wireless.CoverageOracle.Cli;

return await CliApp.Build().Parse(args).InvokeAsync();
