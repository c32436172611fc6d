using DePin.Wireless.DataCredits.Cli;

return await CliApp.Build().Parse(args).InvokeAsync();
