namespace ViralityDashboard.DemoAndBenchmarks.Demo;

/// <summary>Invented words for demo captions, handles, sounds and analyses; nothing here comes from scraped data.</summary>
internal static class DemoVocabulary
{
    public sealed record Niche(
        string Name,
        double ViewsLogShift,
        double SavesFactor,
        double SharesFactor,
        string[] Hashtags,
        string[] Topics,
        string[] HandleWords);

    public static readonly Niche[] Niches =
    [
        new("comedy", 0.20, 0.7, 1.6,
            ["comedy", "funny", "skit", "relatable", "pov", "joke", "lol", "sketch", "humor", "prank"],
            ["when your boss says 'quick call'", "me pretending I understood the assignment", "every group chat ever", "the way my mom answers the phone", "first day at a new job", "trying to be quiet at 3am"],
            ["laughs", "skits", "jokes", "comedy", "funny"]),
        new("food", 0.05, 1.8, 0.9,
            ["food", "recipe", "foodtok", "cooking", "streetfood", "easyrecipe", "dessert", "homecooking", "mukbang", "foodie"],
            ["5-minute garlic noodles", "street food tour at midnight", "the crispiest fried rice", "testing a viral recipe", "breakfast for under $3", "my grandma's soup"],
            ["eats", "kitchen", "cooks", "food", "bites"]),
        new("beauty", 0.00, 1.5, 0.7,
            ["beauty", "makeup", "skincare", "grwm", "makeuptutorial", "glowup", "skincareroutine", "nails", "hair", "beautytips"],
            ["get ready with me for a wedding", "drugstore dupes that actually work", "my 3-step night routine", "fixing cakey foundation", "trying the cloud skin trend", "5 minute everyday look"],
            ["glow", "beauty", "makeup", "skin", "looks"]),
        new("fitness", -0.05, 1.7, 0.8,
            ["fitness", "gym", "workout", "gymtok", "homeworkout", "fitnessmotivation", "legday", "running", "pilates", "health"],
            ["10-minute no-equipment workout", "what I eat in a day training", "fixing your squat form", "day 30 of running every day", "beginner gym plan", "stretching for desk workers"],
            ["fit", "gym", "moves", "strong", "runs"]),
        new("tech", -0.15, 1.9, 1.0,
            ["tech", "iphone", "android", "gadgets", "techtok", "setup", "ai", "coding", "productivity", "lifehack"],
            ["settings you should turn off now", "my desk setup tour", "this app replaced three others", "unboxing the cheapest earbuds", "coding a game in 60 seconds", "phone tricks nobody told you"],
            ["tech", "bytes", "gadget", "codes", "setup"]),
        new("travel", 0.05, 2.0, 1.2,
            ["travel", "traveltok", "wanderlust", "hiddengem", "roadtrip", "beach", "backpacking", "travelvlog", "explore", "vacation"],
            ["the cheapest island I've visited", "hidden cafe with a view", "48 hours in the mountains", "night market you can't miss", "packing for two weeks in a carry-on", "this train ride is unreal"],
            ["travels", "roams", "wander", "trips", "away"]),
        new("pets", 0.15, 0.8, 1.5,
            ["pets", "dog", "cat", "dogsoftiktok", "catsoftiktok", "puppy", "kitten", "petlover", "cute", "animals"],
            ["my cat judging my life choices", "dog hears the word 'walk'", "puppy's first bath", "rescue update: one year later", "teaching my dog a new trick", "the cat vs the cucumber rematch"],
            ["paws", "pup", "meow", "pets", "woof"]),
        new("education", -0.20, 2.2, 1.1,
            ["learnontiktok", "education", "science", "history", "facts", "studytok", "english", "math", "didyouknow", "explained"],
            ["why the sky is actually purple", "history fact that sounds fake", "English words you mispronounce", "the math trick teachers never show", "how planes really fly", "study method that saved my grades"],
            ["learns", "facts", "teach", "study", "explains"]),
        new("dance", 0.10, 0.6, 0.9,
            ["dance", "dancechallenge", "choreography", "dancetok", "kpop", "tutorial", "trend", "moves", "dancer", "viraldance"],
            ["learn this in 15 seconds", "our version of the trend", "mirrored tutorial slowed down", "dancing with my grandpa", "one take, no cuts", "the hardest part of this choreo"],
            ["dance", "moves", "groove", "steps", "beats"]),
        new("fashion", -0.05, 1.4, 0.8,
            ["fashion", "ootd", "outfit", "style", "thrift", "streetwear", "outfitideas", "haul", "vintage", "styling"],
            ["styling one jacket five ways", "thrift flip: old jeans", "outfits for a rainy week", "capsule wardrobe under $100", "try-on haul, honest review", "what I'd wear to a job interview"],
            ["style", "fits", "wears", "thrift", "closet"]),
        new("gaming", -0.10, 0.9, 1.0,
            ["gaming", "gamer", "gametok", "minecraft", "fortnite", "speedrun", "streamer", "indiegame", "clutch", "gameplay"],
            ["the clutch nobody believed", "speedrunning my childhood game", "this glitch still works", "ranking every boss fight", "indie game you missed", "when the tutorial is harder than the game"],
            ["plays", "gamer", "clutch", "pixel", "games"]),
    ];

    public static readonly string[] NicheNames = [.. Niches.Select(n => n.Name)];

    public static readonly string[] GeneralHashtags =
        ["fyp", "foryou", "foryoupage", "viral", "trending", "xuhuong", "tiktok", "explore", "fypシ", "storytime", "dailyvlog", "life"];

    public static readonly string[] HandleFirstParts =
        ["mia", "linh", "jay", "nora", "kai", "an", "leo", "zoe", "minh", "sam", "ivy", "theo", "lucy", "bao", "rio", "emma", "noah", "ava", "hana", "omar", "the", "just", "daily", "real", "hey", "its", "lil", "big", "chef", "doc"];

    public static readonly string[] TrendingSounds =
    [
        "Midnight Drive (Sped Up)", "Paper Hearts - Lo-Fi Remix", "Neon Summer", "Oh No Oh No (Edit)", "Monday Again",
        "Golden Hour Acoustic", "Bounce Back (Slowed)", "Tiny Victory Jingle", "Run It Back", "Cloud Nine Beat",
        "Suspense Strings", "Dramatic Reveal", "Sunday Reset", "Bubblegum Bass", "Late Night Study Piano",
        "Victory Lap (Remix)", "Who Did This", "Main Character Theme", "Soft Rain Loop", "Level Up",
    ];

    public static readonly string[] CaptionOpeners =
        ["", "", "", "POV:", "Wait for it…", "Part 2:", "Be honest:", "Tell me why", "Okay but", "Storytime:", "Day 12:", "Nobody talks about", "Rate this 1-10:"];

    public static readonly string[] CaptionEmojis = ["", "", " 😂", " 🔥", " 😭", " ✨", " 👀", " 🙌", " 💀", " ❤️"];

    public static readonly string[] RequiredElements =
        ["Person", "Reaction", "Phone", "Prop", "Second actor", "Costume", "Specific location", "Pet", "Food", "Car", "Text overlay", "Mirror"];

    public static readonly string[] Formats = ["skit", "pov", "tutorial", "storytime", "reaction", "montage", "duet", "talking head"];

    public static readonly string[] Languages = ["en", "en", "en", "vi", "vi", "es", "pt", "id"];

    public static readonly string[] ComedyStyles = ["observational", "absurdist", "situational", "physical", "satire", "wholesome", "cringe", "deadpan", "parody"];

    public static readonly string[] ContrastTypes = ["expectation vs reality", "status reversal", "old vs new", "scale", "tone shift"];

    public static readonly string[] TrendNames =
        ["the silent reveal", "rate my setup", "tell me without telling me", "things that just make sense", "ick list", "roman empire", "day in my life", "outfit check", "caught in 4k", "guess the price"];

    public static readonly string[] Roles = ["Narrator", "Boss", "Customer", "Mom", "Friend", "Stranger", "Teacher", "Partner", "Barista", "Influencer", "Dad", "Coworker"];

    public static readonly string[] AgeRanges = ["18-24", "25-34", "35-44", "45+", "mixed"];

    public static readonly string[] CameraMovements = ["static", "handheld", "gimbal", "pan", "mixed"];

    public static readonly string[] Effects = ["zoom", "freeze frame", "slow motion", "glitch", "split screen", "speed ramp", "green screen", "text pop", "shake", "blur"];

    public static readonly string[] Lighting = ["natural", "ring light", "studio", "low light", "mixed"];

    public static readonly string[] SoundEffects =
        ["laugh", "ding", "whoosh", "record scratch", "boing", "vine boom", "airhorn", "applause", "crickets", "bruh", "cash register", "dramatic chord", "pop", "sad trombone", "typing"];

    public static readonly string[] MusicGenres = ["pop", "hip hop", "lo-fi", "edm", "acoustic", "orchestral", "k-pop", "rock", "r&b"];

    public static readonly string[] Palettes = ["warm", "cool", "pastel", "neon", "muted", "high contrast", "monochrome", "earthy"];

    public static readonly string[] Settings = ["kitchen", "bedroom", "office", "street", "car", "store", "outdoors", "studio", "restaurant", "classroom"];

    public static readonly string[] HookTypes = ["question", "bold claim", "visual gag", "pov text", "cold open", "sound cue", "direct address"];

    public static readonly string[] Rhythms = ["fast", "steady", "slow burn", "escalating"];

    public static readonly string[] Emotions = ["amusement", "surprise", "nostalgia", "cringe", "awe", "warmth", "frustration", "curiosity"];

    public static readonly string[] EmotionArc = ["calm", "tension", "release", "surprise", "joy", "embarrassment", "relief", "confusion"];

    public static readonly string[] TargetAges = ["13-17", "18-24", "25-34", "35+", "all ages"];

    public static readonly string[] GenderSkews = ["neutral", "neutral", "female", "male"];
}
