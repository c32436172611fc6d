using DePin.Wireless.NetworkServer.Cli;

return await CliApp.Build().Parse(args).InvokeAsync();
