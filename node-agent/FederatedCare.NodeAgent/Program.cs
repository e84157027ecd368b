Console.WriteLine("node-agent: not yet");
