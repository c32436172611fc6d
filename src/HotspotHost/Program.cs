using DePin.Wireless.HotspotHost.Cli;

return await CliApp.Build().Parse(args).InvokeAsync();
