Console.WriteLine("coordinator: not yet");
