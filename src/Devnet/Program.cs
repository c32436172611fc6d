using DePin.Wireless.Devnet.Cli;

return await CliApp.Build().Parse(args).InvokeAsync();
